package dev.magpie.server.types;

import dev.magpie.protocol.RespWriter;
import dev.magpie.server.keyspace.OffHeap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ListValue against a plain ArrayList model: seeded random operations at every node-size setting,
 * with elements from empty to larger than a node (so one- to three-byte length frames and
 * single-element nodes all occur), the whole content compared forwards and backwards after each.
 */
class ListValueTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String replies(java.util.function.Consumer<RespWriter> writes) {
        ByteBuf buf = Unpooled.buffer();
        writes.accept(new RespWriter(buf));
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    private static String bulks(List<byte[]> elements) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] e : elements) {
            out.writeBytes(bytes("$" + e.length + "\r\n"));
            out.writeBytes(e);
            out.writeBytes(bytes("\r\n"));
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aChunkStartedBesideAFullOneHasItsRoomFromTheStart() {
        for (boolean head : new boolean[] {true, false}) {
            ListValue list = new ListValue(-2);
            byte[] element = new byte[64];
            int pushes = 0;
            while (list.chunkCount() < 2) {
                list.push(head, element, 0, element.length);
                pushes++;
            }
            ListChunk started = list.chunk(head ? 0 : 1);
            ListChunk full = list.chunk(head ? 1 : 0);
            assertEquals(1, started.count);
            assertEquals(full.capacity, started.capacity, "no doublings for the chunk pushes will fill");
            int perChunk = full.count;
            assertEquals(pushes - 1, perChunk);
            for (int i = 1; i < perChunk; i++) {
                list.push(head, element, 0, element.length);
            }
            assertEquals(2, list.chunkCount());
            assertEquals(perChunk, list.chunk(head ? 0 : 1).count);
            assertEquals(full.capacity, list.chunk(head ? 0 : 1).capacity, "filled without growing");
        }
    }

    @Test
    void aNodeAFrozenCopySharesIsFreedByWhicheverHolderLetsGoLast() {
        long before = OffHeap.allocatedBytes();
        ListValue live = new ListValue(-2);
        byte[] element = new byte[64];
        for (int i = 0; i < 1000; i++) {
            element[0] = (byte) i;
            live.pushTail(element, 0, element.length);
        }
        ListValue frozen = live.share();
        live.set(0, bytes("changed"), 0, 7);
        live.pushTail(bytes("pushed"), 0, 6);
        live.removeHead(500);
        assertEquals(64, frozen.get(0).length, "the frozen copy keeps the head the live list changed");
        long liveOnly = OffHeap.allocatedBytes();
        live.free();
        assertEquals(0, live.size());
        assertTrue(OffHeap.allocatedBytes() > before, "the frozen copy keeps the nodes it shares");
        assertTrue(OffHeap.allocatedBytes() < liveOnly, "the live list's own copies are gone");
        assertArrayEquals(element, frozen.get(999), "the shared nodes are intact");
        frozen.free();
        assertEquals(before, OffHeap.allocatedBytes(), "every node freed once, by its last holder");
        frozen.free();
        assertEquals(before, OffHeap.allocatedBytes(), "freeing twice frees nothing more");
    }

    @Test
    void pushesAndPopsAtBothEnds() {
        ListValue list = new ListValue(-2);
        list.pushTail(bytes("b"), 0, 1);
        list.pushHead(bytes("a"), 0, 1);
        list.pushTail(bytes("c"), 0, 1);
        assertEquals(3, list.size());
        assertEquals(Values.ENCODING_QUICKLIST, list.encoding());
        assertArrayEquals(bytes("a"), list.pop(true));
        assertArrayEquals(bytes("c"), list.pop(false));
        assertEquals("$1\r\nb\r\n", replies(out -> list.pop(true, out)));
        assertEquals(0, list.size());
        assertEquals(0, list.chunkCount());
    }

    @Test
    void copiesAreIndependent() {
        ListValue list = new ListValue(2);
        for (int i = 0; i < 10; i++) {
            list.pushTail(bytes("e" + i), 0, 2);
        }
        ListValue copy = list.copy();
        copy.set(0, bytes("changed"), 0, 7);
        copy.pushHead(bytes("x"), 0, 1);
        assertArrayEquals(bytes("e0"), list.get(0));
        assertEquals(10, list.size());
        assertEquals(11, copy.size());
        assertArrayEquals(bytes("changed"), copy.get(1));
        assertTrue(list.memoryUsage() > 10 * 4);
    }

    @Test
    void nodesStayWithinTheirEntryLimit() {
        ListValue list = new ListValue(3);
        for (int i = 0; i < 30; i++) {
            list.pushTail(bytes("x"), 0, 1);
        }
        assertEquals(10, list.chunkCount());
        list.insert(bytes("x"), 0, 1, true, bytes("y"), 0, 1);
        for (int i = 0; i < list.chunkCount(); i++) {
            assertTrue(list.chunk(i).count <= 3);
        }
        assertArrayEquals(bytes("y"), list.get(1));
    }

    @Test
    void largeElementsGetNodesOfTheirOwn() {
        ListValue list = new ListValue(-1);
        byte[] big = new byte[20_000];
        Arrays.fill(big, (byte) 'z');
        list.pushTail(bytes("a"), 0, 1);
        list.pushTail(big, 0, big.length);
        list.pushTail(bytes("b"), 0, 1);
        assertEquals(3, list.chunkCount());
        assertArrayEquals(big, list.get(1));
        assertArrayEquals(bytes("b"), list.pop(false));
        assertArrayEquals(big, list.pop(false));
    }

    @Test
    void removeHonoursCountAndDirection() {
        ListValue list = new ListValue(2);
        for (String s : "a b a c a d a".split(" ")) {
            list.pushTail(bytes(s), 0, 1);
        }
        assertEquals(2, list.remove(-2, bytes("a"), 0, 1));
        assertEquals("abacd", join(list));
        assertEquals(1, list.remove(1, bytes("a"), 0, 1));
        assertEquals("bacd", join(list));
        assertEquals(1, list.remove(Long.MIN_VALUE, bytes("a"), 0, 1));
        assertEquals("bcd", join(list));
        assertEquals(0, list.remove(0, bytes("zz"), 0, 2));
    }

    private static String join(ListValue list) {
        StringBuilder out = new StringBuilder();
        ListCursor cursor = list.cursor(false);
        while (cursor.next()) {
            out.append(new String(cursor.element(), StandardCharsets.ISO_8859_1));
        }
        return out.toString();
    }

    @ParameterizedTest(name = "fill {0}")
    @ValueSource(ints = {-5, -2, -1, 0, 1, 2, 5, 128})
    void randomOperationsMatchAModel(int fill) {
        for (long seed = 1; seed <= 2; seed++) {
            new ModelRun(new Random(seed * 31 + fill), fill).play(2500);
        }
    }

    private static final class ModelRun {
        private final Random random;
        private final ListValue list;
        private final List<byte[]> model = new ArrayList<>();
        /** Frozen copies taken along the way (share) and the content each must keep whatever the list does next. */
        private final List<ListValue> frozen = new ArrayList<>();
        private final List<List<byte[]>> frozenModels = new ArrayList<>();

        ModelRun(Random random, int fill) {
            this.random = random;
            this.list = new ListValue(fill);
        }

        private byte[] element() {
            int kind = random.nextInt(100);
            int length;
            if (kind < 60) {
                length = random.nextInt(4);
            } else if (kind < 90) {
                length = random.nextInt(300);
            } else if (kind < 98) {
                length = random.nextInt(3000);
            } else {
                length = 17_000 + random.nextInt(3000);
            }
            byte[] e = new byte[length];
            for (int i = 0; i < length; i++) {
                e[i] = (byte) ('a' + random.nextInt(3));
            }
            return e;
        }

        void play(int steps) {
            for (int step = 0; step < steps; step++) {
                if (random.nextInt(50) == 0) {
                    frozen.add(list.share());
                    frozenModels.add(new ArrayList<>(model));
                    if (frozen.size() > 3) {
                        frozen.remove(0);
                        frozenModels.remove(0);
                    }
                }
                int op = random.nextInt(100);
                String what = "step " + step + " op " + op;
                if (op < 22) {
                    byte[] e = element();
                    list.pushTail(e, 0, e.length);
                    model.add(e);
                } else if (op < 44) {
                    byte[] e = element();
                    list.pushHead(e, 0, e.length);
                    model.add(0, e);
                } else if (op < 52 && !model.isEmpty()) {
                    boolean head = random.nextBoolean();
                    assertArrayEquals(model.remove(head ? 0 : model.size() - 1), list.pop(head), what);
                } else if (op < 57 && !model.isEmpty()) {
                    boolean head = random.nextBoolean();
                    int n = 1 + random.nextInt(Math.min(model.size() + 2, 40));
                    List<byte[]> expected = new ArrayList<>();
                    for (int i = 0; i < n && !model.isEmpty(); i++) {
                        expected.add(model.remove(head ? 0 : model.size() - 1));
                    }
                    assertEquals(bulks(expected), replies(out -> list.pop(head, n, out)), what);
                } else if (op < 65 && !model.isEmpty()) {
                    int index = random.nextInt(model.size());
                    byte[] e = element();
                    list.set(index, e, 0, e.length);
                    model.set(index, e);
                } else if (op < 72 && !model.isEmpty()) {
                    byte[] pivot = model.get(random.nextInt(model.size()));
                    if (random.nextInt(4) == 0) {
                        pivot = element();
                    }
                    boolean after = random.nextBoolean();
                    byte[] e = element();
                    int at = indexOf(pivot);
                    assertEquals(at >= 0, list.insert(pivot, 0, pivot.length, after, e, 0, e.length), what);
                    if (at >= 0) {
                        model.add(after ? at + 1 : at, e);
                    }
                } else if (op < 77) {
                    byte[] target = model.isEmpty() || random.nextInt(3) == 0 ? element()
                            : model.get(random.nextInt(model.size()));
                    long count = random.nextInt(7) - 3;
                    assertEquals(modelRemove(count, target), list.remove(count, target, 0, target.length), what);
                } else if (op < 80 && !model.isEmpty()) {
                    int fromHead = random.nextInt(model.size() + 1);
                    int fromTail = random.nextInt(model.size() - fromHead + 1);
                    list.removeHead(fromHead);
                    list.removeTail(fromTail);
                    model.subList(0, fromHead).clear();
                    model.subList(model.size() - fromTail, model.size()).clear();
                } else if (op < 90 && !model.isEmpty()) {
                    int start = random.nextInt(model.size());
                    int count = random.nextInt(model.size() - start) + 1;
                    assertEquals(bulks(model.subList(start, start + count)),
                            replies(out -> list.replyRange(out, start, count)), what);
                } else if (!model.isEmpty()) {
                    int index = random.nextInt(model.size());
                    assertArrayEquals(model.get(index), list.get(index), what);
                    assertEquals(bulks(List.of(model.get(index))), replies(out -> list.replyAt(index, out)), what);
                }
                check(what);
                if (model.size() > 400) {
                    list.removeHead(200);
                    model.subList(0, 200).clear();
                }
            }
        }

        private int indexOf(byte[] e) {
            for (int i = 0; i < model.size(); i++) {
                if (Arrays.equals(model.get(i), e)) {
                    return i;
                }
            }
            return -1;
        }

        private long modelRemove(long count, byte[] target) {
            long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
            long removed = 0;
            if (count >= 0) {
                for (int i = 0; i < model.size() && removed < limit; i++) {
                    if (Arrays.equals(model.get(i), target)) {
                        model.remove(i--);
                        removed++;
                    }
                }
            } else {
                for (int i = model.size() - 1; i >= 0 && removed < limit; i--) {
                    if (Arrays.equals(model.get(i), target)) {
                        model.remove(i);
                        removed++;
                    }
                }
            }
            return removed;
        }

        private void check(String what) {
            for (int f = 0; f < frozen.size(); f++) {
                assertContent(frozen.get(f), frozenModels.get(f), what + ": frozen copy " + f);
            }
            assertContent(list, model, what);
        }

        private static void assertContent(ListValue list, List<byte[]> model, String what) {
            assertEquals(model.size(), list.size(), what);
            long counted = 0;
            for (int i = 0; i < list.chunkCount(); i++) {
                ListChunk chunk = list.chunk(i);
                assertNotEquals(0, chunk.count, what + ": empty node left behind");
                counted += chunk.count;
            }
            assertEquals(model.size(), counted, what);
            ListCursor forward = list.cursor(false);
            for (byte[] e : model) {
                assertTrue(forward.next(), what);
                assertArrayEquals(e, forward.element(), what);
                assertTrue(forward.matches(e, 0, e.length), what);
            }
            assertFalse(forward.next(), what);
            ListCursor backward = list.cursor(true);
            for (int i = model.size() - 1; i >= 0; i--) {
                assertTrue(backward.next(), what);
                assertArrayEquals(model.get(i), backward.element(), what);
            }
            assertFalse(backward.next(), what);
        }
    }
}
