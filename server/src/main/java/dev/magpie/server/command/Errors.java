package dev.magpie.server.command;

/** Redis's shared error replies, word for word. */
public final class Errors {
    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String WRONG_TYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String OUT_OF_RANGE = "ERR index out of range";
    public static final String DB_INDEX_OUT_OF_RANGE = "ERR DB index is out of range";
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String WRONG_PASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String INVALID_EXPIRE = "ERR invalid expire time in '%s' command";
    public static final String STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    private Errors() {
    }

    public static String arity(String fullName) {
        return "ERR wrong number of arguments for '" + fullName + "' command";
    }

    public static String invalidExpire(String commandName) {
        return "ERR invalid expire time in '" + commandName + "' command";
    }
}
