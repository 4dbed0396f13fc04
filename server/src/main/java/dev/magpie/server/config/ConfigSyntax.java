package dev.magpie.server.config;

import java.util.ArrayList;
import java.util.List;

/** Splits a redis.conf line into words with Redis's quoting rules (as sdssplitargs). */
public final class ConfigSyntax {
    private ConfigSyntax() {
    }

    /** The words of {@code line}, or null when its quotes are unbalanced. */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        int p = 0;
        int n = line.length();
        while (true) {
            while (p < n && Character.isWhitespace(line.charAt(p))) {
                p++;
            }
            if (p >= n) {
                return words;
            }
            StringBuilder word = new StringBuilder();
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                char c = p < n ? line.charAt(p) : 0;
                if (inDouble) {
                    if (p >= n) {
                        return null;
                    }
                    if (c == '\\' && p + 3 < n && line.charAt(p + 1) == 'x' && isHex(line.charAt(p + 2)) && isHex(line.charAt(p + 3))) {
                        word.append((char) Integer.parseInt(line.substring(p + 2, p + 4), 16));
                        p += 3;
                    } else if (c == '\\' && p + 1 < n) {
                        p++;
                        char e = line.charAt(p);
                        word.append(e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e == 'b' ? '\b' : e == 'a' ? (char) 7 : e);
                    } else if (c == '"') {
                        if (p + 1 < n && !Character.isWhitespace(line.charAt(p + 1))) {
                            return null;
                        }
                        done = true;
                    } else {
                        word.append(c);
                    }
                } else if (inSingle) {
                    if (p >= n) {
                        return null;
                    }
                    if (c == '\\' && p + 1 < n && line.charAt(p + 1) == '\'') {
                        p++;
                        word.append('\'');
                    } else if (c == '\'') {
                        if (p + 1 < n && !Character.isWhitespace(line.charAt(p + 1))) {
                            return null;
                        }
                        done = true;
                    } else {
                        word.append(c);
                    }
                } else if (p >= n || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    done = true;
                } else if (c == '"') {
                    inDouble = true;
                } else if (c == '\'') {
                    inSingle = true;
                } else {
                    word.append(c);
                }
                if (p < n) {
                    p++;
                }
            }
            words.add(word.toString());
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
