package dev.magpie.tests.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ready-made {@link Normalizer}s. Each names what it hides, so a differential test shows which
 * parts of a reply it does not hold Magpie to; everything else must match byte for byte.
 */
public final class Normalizers {
    private Normalizers() {
    }

    /** Compares the replies unchanged. */
    public static Normalizer none() {
        return reply -> reply;
    }

    /** Replaces every match of {@code regex} in the reply (seen one char per byte) by {@code replacement}. */
    public static Normalizer regex(String regex, String replacement) {
        Pattern pattern = Pattern.compile(regex);
        return reply -> Resp.bytes(pattern.matcher(Resp.latin1(reply)).replaceAll(replacement));
    }

    /**
     * In a reply made of name/value pairs (a RESP2 flat array or a RESP3 map, like HELLO's), replaces
     * the value that follows the bulk string {@code name} with {@code <name>}, whatever its type
     * (bulk string, simple string or integer).
     */
    public static Normalizer field(String name) {
        Pattern pattern = Pattern.compile("(\\$" + name.length() + "\r\n" + Pattern.quote(name) + "\r\n)"
                + "(?:\\$\\d+\r\n[^\r]*\r\n|[+:][^\r]*\r\n)");
        String replacement = "$1" + Matcher.quoteReplacement("<" + name + ">\r\n");
        return reply -> Resp.bytes(pattern.matcher(Resp.latin1(reply)).replaceAll(replacement));
    }

    /**
     * HELLO's reply: the server name and version say which product answered, and the client id
     * depends on how many connections each server has seen; every other field must match.
     */
    public static Normalizer hello() {
        return field("server").andThen(field("version")).andThen(field("id"));
    }
}
