package dev.magpie.server.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Redis 7's multi-part AOF manifest: one base file, history files waiting for deletion, and the
 * incremental files replayed after the base, one line each:
 * {@code file appendonly.aof.1.base.rdb seq 1 type b}. Immutable: every change yields a new
 * manifest, which {@link #persist} writes to a temporary file, fsyncs and renames into place.
 */
public final class AofManifest {
    /** One file named by the manifest. */
    public record FileInfo(String name, long seq, char type) {
        public FileInfo {
            if (type != BASE && type != HISTORY && type != INCR) {
                throw new IllegalArgumentException("unknown AOF file type " + type);
            }
        }
    }

    public static final char BASE = 'b';
    public static final char HISTORY = 'h';
    public static final char INCR = 'i';
    /** Redis refuses manifest lines longer than this. */
    private static final int MAX_LINE = 1024;

    private final String prefix;
    private final FileInfo base;
    private final List<FileInfo> history;
    private final List<FileInfo> incrs;
    private final long baseSeq;
    private final long incrSeq;

    private AofManifest(String prefix, FileInfo base, List<FileInfo> history, List<FileInfo> incrs, long baseSeq,
                        long incrSeq) {
        this.prefix = prefix;
        this.base = base;
        this.history = List.copyOf(history);
        this.incrs = List.copyOf(incrs);
        this.baseSeq = baseSeq;
        this.incrSeq = incrSeq;
    }

    /** A manifest naming no file yet, for {@code appendfilename} {@code prefix}. */
    public static AofManifest empty(String prefix) {
        return new AofManifest(prefix, null, List.of(), List.of(), 0, 0);
    }

    public FileInfo base() {
        return base;
    }

    public List<FileInfo> history() {
        return history;
    }

    public List<FileInfo> incrs() {
        return incrs;
    }

    public FileInfo lastIncr() {
        return incrs.isEmpty() ? null : incrs.get(incrs.size() - 1);
    }

    public boolean isEmpty() {
        return base == null && incrs.isEmpty();
    }

    public static String manifestName(String prefix) {
        return prefix + ".manifest";
    }

    /** Base and incremental files in replay order. */
    public List<FileInfo> replayOrder() {
        List<FileInfo> all = new ArrayList<>();
        if (base != null) {
            all.add(base);
        }
        all.addAll(incrs);
        return all;
    }

    /** Adds a new incremental file after the current ones (a new incr file opened at startup or at a rewrite). */
    public AofManifest withNewIncr() {
        long seq = incrSeq + 1;
        List<FileInfo> more = new ArrayList<>(incrs);
        more.add(new FileInfo(prefix + "." + seq + ".incr.aof", seq, INCR));
        return new AofManifest(prefix, base, history, more, baseSeq, seq);
    }

    /**
     * A rewrite finished: the new base replaces the old one and every incremental file before
     * {@code firstKept}; those become history (deleted next).
     */
    public AofManifest withNewBase(boolean rdb, FileInfo firstKept) {
        long seq = baseSeq + 1;
        FileInfo newBase = new FileInfo(baseName(seq, rdb), seq, BASE);
        List<FileInfo> old = new ArrayList<>(history);
        if (base != null) {
            old.add(new FileInfo(base.name(), base.seq(), HISTORY));
        }
        List<FileInfo> kept = new ArrayList<>();
        boolean keeping = false;
        for (FileInfo incr : incrs) {
            keeping |= incr.equals(firstKept);
            if (keeping) {
                kept.add(incr);
            } else {
                old.add(new FileInfo(incr.name(), incr.seq(), HISTORY));
            }
        }
        return new AofManifest(prefix, newBase, old, kept, seq, incrSeq);
    }

    /** The name the next base file gets. */
    public String nextBaseName(boolean rdb) {
        return baseName(baseSeq + 1, rdb);
    }

    private String baseName(long seq, boolean rdb) {
        return prefix + "." + seq + ".base" + (rdb ? ".rdb" : ".aof");
    }

    /** Deletes the history files from {@code dir}; one that cannot be deleted is only wasted space. */
    void deleteHistory(Path dir) {
        for (FileInfo old : history) {
            try {
                Files.deleteIfExists(dir.resolve(old.name()));
            } catch (IOException e) {
                dev.magpie.server.Log.warning("Can't delete the old AOF file " + old.name() + ": " + e.getMessage());
            }
        }
    }

    /** The same files without history entries (after they were deleted). */
    public AofManifest withoutHistory() {
        return new AofManifest(prefix, base, List.of(), incrs, baseSeq, incrSeq);
    }

    // ---- text form ------------------------------------------------------------------------------

    /** The manifest text, in Redis's order: base, history, incremental files. */
    public String format() {
        StringBuilder out = new StringBuilder();
        if (base != null) {
            line(out, base);
        }
        for (FileInfo info : history) {
            line(out, info);
        }
        for (FileInfo info : incrs) {
            line(out, info);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, FileInfo info) {
        out.append("file ").append(quoteIfNeeded(info.name())).append(" seq ").append(info.seq())
                .append(" type ").append(info.type()).append('\n');
    }

    /** Parses manifest text; {@link IllegalArgumentException} carries Redis's reason for bad input. */
    public static AofManifest parse(String prefix, String text) {
        FileInfo base = null;
        List<FileInfo> history = new ArrayList<>();
        List<FileInfo> incrs = new ArrayList<>();
        long maxBaseSeq = 0;
        long maxIncrSeq = 0;
        int lines = 0;
        for (String raw : text.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.length() > MAX_LINE) {
                throw new IllegalArgumentException("The AOF manifest file contains too long line");
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            lines++;
            List<String> words = split(line);
            if (words == null || words.size() < 6 || words.size() % 2 != 0) {
                throw new IllegalArgumentException("Invalid AOF manifest file format");
            }
            String name = null;
            long seq = -1;
            char type = 0;
            for (int i = 0; i < words.size(); i += 2) {
                String key = words.get(i);
                String value = words.get(i + 1);
                switch (key) {
                    case "file" -> name = value;
                    case "seq" -> seq = parseSeq(value);
                    case "type" -> type = value.length() == 1 ? value.charAt(0) : 0;
                    default -> { } // unknown keys are ignored, as Redis does, for forward compatibility
                }
            }
            if (name == null || seq < 0 || (type != BASE && type != HISTORY && type != INCR)) {
                throw new IllegalArgumentException("Invalid AOF manifest file format");
            }
            FileInfo info = new FileInfo(name, seq, type);
            switch (type) {
                case BASE -> {
                    if (base != null) {
                        throw new IllegalArgumentException("Found duplicate base file information");
                    }
                    base = info;
                    maxBaseSeq = seq;
                }
                case HISTORY -> history.add(info);
                default -> {
                    if (seq <= maxIncrSeq) {
                        throw new IllegalArgumentException("Found a non-monotonic sequence number");
                    }
                    incrs.add(info);
                    maxIncrSeq = seq;
                }
            }
        }
        if (lines == 0) {
            throw new IllegalArgumentException("Found an empty AOF manifest");
        }
        return new AofManifest(prefix, base, history, incrs, maxBaseSeq, maxIncrSeq);
    }

    private static long parseSeq(String value) {
        try {
            long seq = Long.parseLong(value);
            return seq > 0 ? seq : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Splits on blanks, honouring "double" (with escapes) and 'single' quotes as Redis's sdssplitargs does. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return words;
            }
            StringBuilder word = new StringBuilder();
            char quote = line.charAt(i) == '"' || line.charAt(i) == '\'' ? line.charAt(i) : 0;
            if (quote != 0) {
                i++;
                while (true) {
                    if (i >= n) {
                        return null; // unterminated quotes
                    }
                    char c = line.charAt(i);
                    if (quote == '"' && c == '\\' && i + 1 < n) {
                        char e = line.charAt(i + 1);
                        if (e == 'x' && i + 3 < n && isHex(line.charAt(i + 2)) && isHex(line.charAt(i + 3))) {
                            word.append((char) Integer.parseInt(line.substring(i + 2, i + 4), 16));
                            i += 4;
                            continue;
                        }
                        word.append(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> (char) 7;
                            default -> e;
                        });
                        i += 2;
                    } else if (quote == '\'' && c == '\\' && i + 1 < n && line.charAt(i + 1) == '\'') {
                        word.append('\'');
                        i += 2;
                    } else if (c == quote) {
                        i++;
                        if (i < n && !Character.isWhitespace(line.charAt(i))) {
                            return null; // closing quote must be followed by a space
                        }
                        break;
                    } else {
                        word.append(c);
                        i++;
                    }
                }
            } else {
                while (i < n && !Character.isWhitespace(line.charAt(i))) {
                    word.append(line.charAt(i++));
                }
            }
            words.add(word.toString());
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    /** Names with blanks, quotes or control characters are written quoted, as Redis's sdscatrepr does. */
    static String quoteIfNeeded(String name) {
        boolean plain = !name.isEmpty();
        for (int i = 0; i < name.length() && plain; i++) {
            char c = name.charAt(i);
            plain = c > ' ' && c < 127 && c != '"' && c != '\'' && c != '\\';
        }
        if (plain) {
            return name;
        }
        StringBuilder out = new StringBuilder("\"");
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c >= 32 && c < 127) {
                        out.append((char) c);
                    } else {
                        out.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    // ---- files ----------------------------------------------------------------------------------

    /** Reads {@code dir/<prefix>.manifest}; null when it does not exist. */
    public static AofManifest load(Path dir, String prefix) throws IOException {
        Path file = dir.resolve(manifestName(prefix));
        if (!Files.exists(file)) {
            return null;
        }
        return parse(prefix, Files.readString(file, StandardCharsets.ISO_8859_1));
    }

    /** Writes the manifest atomically: temporary file, fsync, rename, fsync of the directory. */
    public void persist(Path dir) throws IOException {
        Path target = dir.resolve(manifestName(prefix));
        Path temp = dir.resolve("temp-" + manifestName(prefix));
        byte[] bytes = format().getBytes(StandardCharsets.ISO_8859_1);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(dir);
    }

    /** Makes a rename or a file creation in {@code dir} durable (best effort where unsupported). */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException ignored) {
            // some platforms cannot open directories; the rename is still atomic there
        }
    }

    @Override
    public String toString() {
        return format();
    }

    /** For tests: the history names, unmodifiable. */
    List<String> historyNames() {
        List<String> names = new ArrayList<>();
        for (FileInfo info : history) {
            names.add(info.name());
        }
        return Collections.unmodifiableList(names);
    }
}
