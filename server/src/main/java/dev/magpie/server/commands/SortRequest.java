package dev.magpie.server.commands;

import dev.magpie.server.command.Arguments;
import dev.magpie.server.command.Errors;
import dev.magpie.server.engine.Engine;
import dev.magpie.server.session.Session;

import java.util.ArrayList;
import java.util.List;

/** SORT's options, parsed as Redis parses them (later options override earlier ones). */
final class SortRequest {
    boolean desc;
    boolean alpha;
    boolean dontSort;
    long limitStart;
    long limitCount = -1;
    SortPattern by;
    byte[] storeKey;
    final List<SortPattern> gets = new ArrayList<>();

    private SortRequest() {
    }

    /** The options, or null after replying with the error. */
    static SortRequest parse(Engine engine, Session session, Arguments args, boolean readOnly) {
        SortRequest request = new SortRequest();
        int argc = args.count();
        for (int j = 2; j < argc; j++) {
            int left = argc - j - 1;
            if (args.is(j, "asc")) {
                request.desc = false;
            } else if (args.is(j, "desc")) {
                request.desc = true;
            } else if (args.is(j, "alpha")) {
                request.alpha = true;
            } else if (args.is(j, "limit") && left >= 2) {
                request.limitStart = args.parseLong(j + 1);
                if (!args.parsedOk()) {
                    engine.error(session, Errors.NOT_INTEGER);
                    return null;
                }
                request.limitCount = args.parseLong(j + 2);
                if (!args.parsedOk()) {
                    engine.error(session, Errors.NOT_INTEGER);
                    return null;
                }
                j += 2;
            } else if (!readOnly && args.is(j, "store") && left >= 1) {
                request.storeKey = args.bytes(j + 1);
                j++;
            } else if (args.is(j, "by") && left >= 1) {
                request.by = new SortPattern(args.bytes(j + 1));
                if (request.by.constant()) {
                    request.dontSort = true;
                }
                j++;
            } else if (args.is(j, "get") && left >= 1) {
                request.gets.add(new SortPattern(args.bytes(j + 1)));
                j++;
            } else {
                engine.error(session, Errors.SYNTAX);
                return null;
            }
        }
        return request;
    }
}
