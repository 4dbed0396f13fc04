package dev.magpie.server.persistence;

import dev.magpie.server.types.ListValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshot writers keep the compressed form of a frozen list's nodes and write it again as it
 * is: the next snapshot's bytes must equal a fresh encoding of the same list, every time.
 */
class ListNodeFormsTest {
    private static final Limits LIMITS = new Limits(-2, 128, 64, 512, 128, 64);
    private static final byte[] VALUE = ("value-" + "x".repeat(58)).getBytes(StandardCharsets.US_ASCII);

    /** The list's bytes as a snapshot writes them, encoded afresh from an unshared copy. */
    private static byte[] fresh(ListValue live, boolean compress) {
        RdbOutput out = new RdbOutput(64, compress).adaptiveCompression();
        new ValueWriter().writeList(out, live.copy());
        return Arrays.copyOf(out.array(), out.size());
    }

    private static byte[] snapshot(ListValue frozen, boolean compress) {
        RdbOutput out = new RdbOutput(64, compress).adaptiveCompression();
        new ValueWriter().writeList(out, frozen);
        return Arrays.copyOf(out.array(), out.size());
    }

    private static ListValue read(byte[] bytes) throws RdbException {
        return (ListValue) ValueReader.read(new RdbInput(bytes, bytes.length), Rdb.TYPE_LIST_QUICKLIST_2, LIMITS);
    }

    private static void assertSameElements(ListValue expected, ListValue actual) {
        assertEquals(expected.size(), actual.size());
        for (long i = 0; i < expected.size(); i += 97) {
            assertArrayEquals(expected.get(i), actual.get(i), "element " + i);
        }
    }

    @Test
    void unchangedNodesAreWrittenFromTheirKeptFormAndChangedOnesAfresh() throws RdbException {
        ListValue live = new ListValue(-2);
        for (int i = 0; i < 20_000; i++) {
            live.pushHead(VALUE, 0, VALUE.length);
        }
        ListValue first = live.share();
        byte[] firstBytes = snapshot(first, true);
        assertArrayEquals(fresh(live, true), firstBytes, "the first snapshot is the plain encoding");
        int nodes = first.nodeCount();
        assertTrue(nodes > 100, "the list spans many nodes: " + nodes);
        byte[][] kept = new byte[nodes][];
        for (int i = 0; i < nodes; i++) {
            kept[i] = first.savedForm(i);
            assertNotNull(kept[i], "node " + i + " compresses well, so its form is kept");
        }
        long before = live.memoryUsage();

        byte[] other = ("changed-" + "y".repeat(40)).getBytes(StandardCharsets.US_ASCII);
        live.pushHead(other, 0, other.length);
        live.set(10_000, other, 0, other.length);
        ListValue second = live.share();
        assertNull(second.savedForm(0), "the head node changed, so its copy starts without a form");
        int changedMiddle = -1;
        for (int i = 1; i < second.nodeCount(); i++) {
            if (second.savedForm(i) == null) {
                changedMiddle = i;
            }
        }
        assertTrue(changedMiddle > 0, "LSET in the middle left that node without a form");
        byte[] secondBytes = snapshot(second, true);
        assertArrayEquals(fresh(live, true), secondBytes, "kept and fresh nodes together equal a fresh encoding");
        assertSameElements(live, read(secondBytes));
        for (int i = 1; i < second.nodeCount(); i++) {
            if (i != changedMiddle) {
                assertSame(kept[i], second.savedForm(i), "unchanged node " + i + " was written from its kept form");
            }
        }
        assertNotNull(second.savedForm(changedMiddle), "the changed node's new form is kept in turn");
        assertTrue(live.memoryUsage() > before, "MEMORY USAGE counts kept forms");

        // rdbcompression no: the kept LZF forms are not used, and the output is the plain encoding.
        assertArrayEquals(fresh(live, false), snapshot(live.share(), false));
        // DUMP and SAVE write the live list, which never uses or keeps forms.
        RdbOutput dump = new RdbOutput(64, true);
        new ValueWriter().writeList(dump, live);
        assertArrayEquals(secondBytes, Arrays.copyOf(dump.array(), dump.size()));
    }

    @Test
    void nodesThatDoNotCompressEightfoldKeepNothing() throws RdbException {
        Random random = new Random(11);
        ListValue live = new ListValue(-2);
        byte[] noise = new byte[64];
        for (int i = 0; i < 5_000; i++) {
            random.nextBytes(noise);
            live.pushTail(noise, 0, noise.length);
        }
        byte[] half = ("half-" + "ab".repeat(30)).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 5_000; i++) {
            random.nextBytes(noise);
            System.arraycopy(half, 0, noise, 0, 32);
            live.pushTail(noise, 0, noise.length);
        }
        ListValue frozen = live.share();
        byte[] bytes = snapshot(frozen, true);
        for (int i = 0; i < frozen.nodeCount(); i++) {
            assertNull(frozen.savedForm(i), "node " + i + " is random or compresses only twofold: nothing kept");
        }
        assertSameElements(live, read(bytes));
        assertArrayEquals(fresh(live, true), snapshot(live.share(), true));
    }
}
