package dev.magpie.server.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every command the server knows, found by name without allocating: an open-addressing table
 * keyed by the lower-cased name bytes.
 */
public final class CommandTable {
    private final Map<String, CommandSpec> byName = new TreeMap<>();
    private CommandSpec[] slots = new CommandSpec[512];
    private byte[][] slotNames = new byte[512][];

    public void register(CommandSpec spec) {
        if (byName.put(spec.name(), spec) != null) {
            throw new IllegalStateException("command declared twice: " + spec.name());
        }
        if (byName.size() * 2 > slots.length) {
            rebuild(slots.length * 2);
        } else {
            insert(spec);
        }
    }

    private void rebuild(int capacity) {
        slots = new CommandSpec[capacity];
        slotNames = new byte[capacity][];
        for (CommandSpec spec : byName.values()) {
            insert(spec);
        }
    }

    private void insert(CommandSpec spec) {
        byte[] name = spec.name().getBytes(StandardCharsets.US_ASCII);
        int mask = slots.length - 1;
        int slot = hash(name, 0, name.length) & mask;
        while (slots[slot] != null) {
            slot = (slot + 1) & mask;
        }
        slots[slot] = spec;
        slotNames[slot] = name;
    }

    /** The command named by {@code bytes[offset..offset+length)}, case-insensitively, or null. */
    public CommandSpec find(byte[] bytes, int offset, int length) {
        int mask = slots.length - 1;
        int slot = hash(bytes, offset, length) & mask;
        while (slots[slot] != null) {
            if (matches(slotNames[slot], bytes, offset, length)) {
                return slots[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    public CommandSpec find(String name) {
        return byName.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(byName.values());
    }

    /** Every command and subcommand, for stats. */
    public List<CommandSpec> allWithSubcommands() {
        List<CommandSpec> all = new ArrayList<>();
        for (CommandSpec spec : byName.values()) {
            all.add(spec);
            all.addAll(spec.subcommands().values());
        }
        return all;
    }

    public int size() {
        return byName.size();
    }

    private static int hash(byte[] bytes, int offset, int length) {
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = h * 31 + (bytes[offset + i] | 0x20);
        }
        return h ^ (h >>> 16);
    }

    private static boolean matches(byte[] lowerName, byte[] bytes, int offset, int length) {
        if (lowerName.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            byte b = bytes[offset + i];
            if (b >= 'A' && b <= 'Z') {
                b = (byte) (b | 0x20);
            }
            if (lowerName[i] != b) {
                return false;
            }
        }
        return true;
    }
}
