package dev.magpie.server.commands;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the operating system says about this process (Linux /proc), with JVM fallbacks elsewhere. */
final class MemoryProbe {
    private static final long PAGE_SIZE = 4096;
    /** USER_HZ: the unit of /proc/self/stat CPU times on every common Linux build. */
    private static final long TICKS_PER_SECOND = 100;

    private MemoryProbe() {
    }

    /** Resident set size in bytes (/proc/self/statm's second field). */
    static long residentBytes() {
        String statm = read("/proc/self/statm");
        if (statm != null) {
            String[] fields = statm.trim().split("\\s+");
            if (fields.length > 1) {
                try {
                    return Long.parseLong(fields[1]) * PAGE_SIZE;
                } catch (NumberFormatException ignored) {
                    // fall through to the JVM's view
                }
            }
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory();
    }

    static long systemBytes() {
        String meminfo = read("/proc/meminfo");
        if (meminfo != null) {
            for (String line : meminfo.split("\n")) {
                if (line.startsWith("MemTotal:")) {
                    String[] fields = line.trim().split("\\s+");
                    try {
                        return Long.parseLong(fields[1]) * 1024;
                    } catch (NumberFormatException | ArrayIndexOutOfBoundsException ignored) {
                        break;
                    }
                }
            }
        }
        return 0;
    }

    /** {system, user} CPU time of the whole process in microseconds. */
    static long[] processCpuMicros() {
        String stat = read("/proc/self/stat");
        if (stat != null) {
            int end = stat.lastIndexOf(')');
            String[] fields = stat.substring(end + 2).split(" ");
            // After "pid (comm) ", field 14 (utime) and 15 (stime) are at indexes 11 and 12.
            try {
                long user = Long.parseLong(fields[11]) * 1_000_000 / TICKS_PER_SECOND;
                long system = Long.parseLong(fields[12]) * 1_000_000 / TICKS_PER_SECOND;
                return new long[] {system, user};
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException ignored) {
                // fall through
            }
        }
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return new long[] {0, sun.getProcessCpuTime() / 1000};
        }
        return new long[] {0, 0};
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
