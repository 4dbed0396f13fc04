package dev.magpie.server.types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Redis's intset: distinct integers sorted ascending in one array, each 2, 4 or 8 bytes wide
 * (the width of the widest member; adding a wider one widens them all, nothing narrows them).
 * Arrays are exactly sized, as Redis reallocates its intset on every change.
 */
public final class IntSet {
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private IntSet() {
    }

    /** The narrowest width holding {@code value}. */
    public static int widthFor(long value) {
        if (value == (short) value) {
            return 2;
        }
        return value == (int) value ? 4 : 8;
    }

    public static long get(byte[] array, int width, int index) {
        return switch (width) {
            case 2 -> (short) SHORTS.get(array, index * 2);
            case 4 -> (int) INTS.get(array, index * 4);
            default -> (long) LONGS.get(array, index * 8);
        };
    }

    private static void put(byte[] array, int width, int index, long value) {
        switch (width) {
            case 2 -> SHORTS.set(array, index * 2, (short) value);
            case 4 -> INTS.set(array, index * 4, (int) value);
            default -> LONGS.set(array, index * 8, value);
        }
    }

    /** The index of {@code value}, or {@code -(insertion point) - 1} when absent. */
    public static int search(byte[] array, int width, int count, long value) {
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            long at = get(array, width, middle);
            if (at < value) {
                low = middle + 1;
            } else if (at > value) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -(low + 1);
    }

    /** A new array with {@code value} inserted at {@code index}, every member {@code newWidth} wide. */
    public static byte[] insert(byte[] array, int width, int count, int index, long value, int newWidth) {
        byte[] result = new byte[(count + 1) * newWidth];
        if (newWidth == width) {
            System.arraycopy(array, 0, result, 0, index * width);
            System.arraycopy(array, index * width, result, (index + 1) * width, (count - index) * width);
        } else {
            for (int i = 0; i < count; i++) {
                put(result, newWidth, i < index ? i : i + 1, get(array, width, i));
            }
        }
        put(result, newWidth, index, value);
        return result;
    }

    /** A new array without the member at {@code index}. */
    public static byte[] remove(byte[] array, int width, int count, int index) {
        byte[] result = new byte[(count - 1) * width];
        System.arraycopy(array, 0, result, 0, index * width);
        System.arraycopy(array, (index + 1) * width, result, index * width, (count - index - 1) * width);
        return result;
    }
}
