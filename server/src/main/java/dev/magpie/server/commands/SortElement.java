package dev.magpie.server.commands;

/** One element being sorted, with its numeric weight or the value it is compared by under ALPHA with BY. */
final class SortElement {
    final byte[] member;
    double score;
    byte[] compareBy;

    SortElement(byte[] member) {
        this.member = member;
    }

    /** Byte order, shorter first on a common prefix (Redis's binary compareStringObjects). */
    static int compareBinary(byte[] a, byte[] b) {
        int cmp = java.util.Arrays.compareUnsigned(a, 0, Math.min(a.length, b.length), b, 0, Math.min(a.length, b.length));
        return cmp != 0 ? cmp : Integer.compare(a.length, b.length);
    }

    /** C string order (strcoll in the C locale): unsigned bytes up to the first NUL. */
    static int compareC(byte[] a, byte[] b) {
        for (int i = 0; ; i++) {
            int x = i < a.length ? a[i] & 0xFF : 0;
            int y = i < b.length ? b[i] & 0xFF : 0;
            if (x != y) {
                return x - y;
            }
            if (x == 0) {
                return 0;
            }
        }
    }
}
