package dev.magpie.server.types;

/**
 * The order of a large sorted set: a counted B+tree of element ids (ints), compared through
 * {@link Order}. Leaves hold ids in order and are linked both ways for iteration; inner nodes
 * hold each child's size (so rank lookups are O(log n), like the skiplist's spans) and each
 * child's greatest id (so searches need no copied separator keys). About 5 bytes per element.
 */
final class ScoreTree {
    /** Orders ids: negative when a sorts before b. */
    interface Order {
        int compare(int a, int b);
    }

    /** A monotone test over the order: true for a (possibly empty) prefix of the elements. */
    interface Prefix {
        boolean test(int id);
    }

    static final int LEAF_CAPACITY = 128;
    static final int INNER_CAPACITY = 64;

    /** A node: a leaf when {@code children} is null. */
    static final class Node {
        /** Leaf: the ids in order. Inner: the greatest id under each child. */
        final int[] ids;
        final Node[] children;
        final long[] counts;
        int size;
        Node next;
        Node prev;

        Node(boolean leaf) {
            if (leaf) {
                ids = new int[LEAF_CAPACITY];
                children = null;
                counts = null;
            } else {
                ids = new int[INNER_CAPACITY];
                children = new Node[INNER_CAPACITY];
                counts = new long[INNER_CAPACITY];
            }
        }

        boolean leaf() {
            return children == null;
        }
    }

    private final Order order;
    private Node root = new Node(true);
    private long count;

    ScoreTree(Order order) {
        this.order = order;
    }

    long size() {
        return count;
    }

    /** Inserts an id not yet present. */
    void insert(int id) {
        Node split = insert(root, id);
        if (split != null) {
            Node top = new Node(false);
            top.children[0] = root;
            top.children[1] = split;
            top.ids[0] = last(root);
            top.ids[1] = last(split);
            top.counts[0] = total(root);
            top.counts[1] = total(split);
            top.size = 2;
            root = top;
        }
        count++;
    }

    private Node insert(Node node, int id) {
        if (node.leaf()) {
            int at = leafPosition(node, id);
            if (node.size < LEAF_CAPACITY) {
                System.arraycopy(node.ids, at, node.ids, at + 1, node.size - at);
                node.ids[at] = id;
                node.size++;
                return null;
            }
            Node right = new Node(true);
            // Appending at the very end (ascending loads) leaves the left leaf full, not half empty.
            int half = at == LEAF_CAPACITY && node.next == null ? LEAF_CAPACITY : LEAF_CAPACITY / 2;
            System.arraycopy(node.ids, half, right.ids, 0, LEAF_CAPACITY - half);
            right.size = LEAF_CAPACITY - half;
            node.size = half;
            right.next = node.next;
            if (right.next != null) {
                right.next.prev = right;
            }
            right.prev = node;
            node.next = right;
            boolean intoLeft = at < half || (at == half && half < LEAF_CAPACITY);
            Node target = intoLeft ? node : right;
            int position = intoLeft ? at : at - half;
            System.arraycopy(target.ids, position, target.ids, position + 1, target.size - position);
            target.ids[position] = id;
            target.size++;
            return right;
        }
        int child = childFor(node, id);
        Node split = insert(node.children[child], id);
        node.counts[child]++;
        if (order.compare(id, node.ids[child]) > 0) {
            node.ids[child] = id;
        }
        if (split == null) {
            return null;
        }
        Node left = node.children[child];
        node.ids[child] = last(left);
        node.counts[child] = total(left);
        return addChild(node, child + 1, split);
    }

    private Node addChild(Node node, int at, Node child) {
        Node target = node;
        Node right = null;
        if (node.size == INNER_CAPACITY) {
            right = new Node(false);
            int half = at == INNER_CAPACITY ? INNER_CAPACITY - 1 : INNER_CAPACITY / 2;
            System.arraycopy(node.ids, half, right.ids, 0, INNER_CAPACITY - half);
            System.arraycopy(node.children, half, right.children, 0, INNER_CAPACITY - half);
            System.arraycopy(node.counts, half, right.counts, 0, INNER_CAPACITY - half);
            java.util.Arrays.fill(node.children, half, INNER_CAPACITY, null);
            right.size = INNER_CAPACITY - half;
            node.size = half;
            if (at > half) {
                target = right;
                at -= half;
            }
        }
        System.arraycopy(target.ids, at, target.ids, at + 1, target.size - at);
        System.arraycopy(target.children, at, target.children, at + 1, target.size - at);
        System.arraycopy(target.counts, at, target.counts, at + 1, target.size - at);
        target.children[at] = child;
        target.ids[at] = last(child);
        target.counts[at] = total(child);
        target.size++;
        return right;
    }

    /** Removes an id that is present; returns false if it was not found. */
    boolean remove(int id) {
        if (!remove(root, id)) {
            return false;
        }
        count--;
        while (!root.leaf() && root.size == 1) {
            root = root.children[0];
        }
        if (!root.leaf() && root.size == 0) {
            root = new Node(true);
        }
        return true;
    }

    private boolean remove(Node node, int id) {
        if (node.leaf()) {
            int at = leafPosition(node, id);
            if (at >= node.size || node.ids[at] != id) {
                return false;
            }
            System.arraycopy(node.ids, at + 1, node.ids, at, node.size - at - 1);
            node.size--;
            return true;
        }
        int child = childFor(node, id);
        Node below = node.children[child];
        if (!remove(below, id)) {
            return false;
        }
        node.counts[child]--;
        if (below.size == 0) {
            if (below.leaf()) {
                if (below.prev != null) {
                    below.prev.next = below.next;
                }
                if (below.next != null) {
                    below.next.prev = below.prev;
                }
            }
            System.arraycopy(node.ids, child + 1, node.ids, child, node.size - child - 1);
            System.arraycopy(node.children, child + 1, node.children, child, node.size - child - 1);
            System.arraycopy(node.counts, child + 1, node.counts, child, node.size - child - 1);
            node.size--;
            node.children[node.size] = null;
        } else if (node.ids[child] == id) {
            node.ids[child] = last(below);
        }
        return true;
    }

    /** The first child whose greatest id is not before {@code id} (the last child if none). */
    private int childFor(Node node, int id) {
        int low = 0;
        int high = node.size - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (order.compare(node.ids[mid], id) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Where {@code id} is or would go in a leaf. */
    private int leafPosition(Node leaf, int id) {
        int low = 0;
        int high = leaf.size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (order.compare(leaf.ids[mid], id) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static int last(Node node) {
        return node.ids[node.size - 1];
    }

    private static long total(Node node) {
        if (node.leaf()) {
            return node.size;
        }
        long sum = 0;
        for (int i = 0; i < node.size; i++) {
            sum += node.counts[i];
        }
        return sum;
    }

    /** How many elements satisfy {@code prefix} (a test true for a leading run of the order). */
    long countPrefix(Prefix prefix) {
        if (count == 0) {
            return 0;
        }
        Node node = root;
        long before = 0;
        while (!node.leaf()) {
            int i = 0;
            while (i < node.size - 1 && prefix.test(node.ids[i])) {
                before += node.counts[i];
                i++;
            }
            node = node.children[i];
        }
        int i = 0;
        while (i < node.size && prefix.test(node.ids[i])) {
            i++;
        }
        return before + i;
    }

    /** The 0-based rank of a present id, or -1. */
    long rank(int id) {
        Node node = root;
        long before = 0;
        while (!node.leaf()) {
            int child = childFor(node, id);
            for (int i = 0; i < child; i++) {
                before += node.counts[i];
            }
            node = node.children[child];
        }
        int at = leafPosition(node, id);
        return at < node.size && node.ids[at] == id ? before + at : -1;
    }

    /** Positions {@code cursor} at {@code rank} (0 <= rank < size). */
    void seek(long rank, Cursor cursor) {
        Node node = root;
        while (!node.leaf()) {
            int i = 0;
            while (rank >= node.counts[i]) {
                rank -= node.counts[i];
                i++;
            }
            node = node.children[i];
        }
        cursor.leaf = node;
        cursor.index = (int) rank;
    }

    /** A position in the leaves. */
    static final class Cursor {
        Node leaf;
        int index;

        int id() {
            return leaf.ids[index];
        }

        boolean next() {
            if (++index < leaf.size) {
                return true;
            }
            if (leaf.next == null) {
                return false;
            }
            leaf = leaf.next;
            index = 0;
            return true;
        }

        boolean prev() {
            if (--index >= 0) {
                return true;
            }
            if (leaf.prev == null) {
                return false;
            }
            leaf = leaf.prev;
            index = leaf.size - 1;
            return true;
        }
    }

    /** Bytes held by the nodes. */
    long memoryUsage() {
        return memory(root);
    }

    private static long memory(Node node) {
        if (node.leaf()) {
            return 48 + 16 + 4L * LEAF_CAPACITY;
        }
        long bytes = 48 + 3 * 16 + (4L + 4 + 8) * INNER_CAPACITY;
        for (int i = 0; i < node.size; i++) {
            bytes += memory(node.children[i]);
        }
        return bytes;
    }
}
