package dev.magpie.tests.durability;

import dev.magpie.tests.support.RawRespClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection sending SET, INCR and LPUSH in turn, remembering what was acknowledged and
 * when, until the server dies or it is told to stop. Afterwards it checks what a restarted
 * server still holds.
 */
final class Writer extends Thread {
    /** Acknowledged writes a restart lost: how many, and how long before the stop the oldest was acknowledged. */
    record Loss(long count, long oldestAgeMillis) {
    }

    final String name;
    private final MagpieProcess server;
    private final AtomicBoolean stop;
    /** Acknowledgement times of SET key:0.., INCR reaching 1.., LPUSH reaching length 1... */
    private final List<Long> setAcks = new ArrayList<>();
    private final List<Long> incrAcks = new ArrayList<>();
    private final List<Long> pushAcks = new ArrayList<>();
    private long verifiedCounter = -1;
    private long verifiedLength = -1;
    private long verifiedSets = -1;

    Writer(MagpieProcess server, String name, AtomicBoolean stop) {
        super("writer-" + name);
        this.server = server;
        this.name = name;
        this.stop = stop;
    }

    @Override
    public void run() {
        try (RawRespClient client = server.connect()) {
            for (long i = 0; !stop.get(); i++) {
                switch ((int) (i % 3)) {
                    case 0 -> {
                        String reply = client.callText("SET", "set:" + name + ":" + setAcks.size(), "v" + setAcks.size());
                        if (!reply.equals("+OK\r\n")) {
                            return;
                        }
                        setAcks.add(System.currentTimeMillis());
                    }
                    case 1 -> {
                        String reply = client.callText("INCR", "counter:" + name);
                        if (!reply.equals(":" + (incrAcks.size() + 1) + "\r\n")) {
                            return;
                        }
                        incrAcks.add(System.currentTimeMillis());
                    }
                    default -> {
                        String reply = client.callText("LPUSH", "list:" + name, "e" + pushAcks.size());
                        if (!reply.equals(":" + (pushAcks.size() + 1) + "\r\n")) {
                            return;
                        }
                        pushAcks.add(System.currentTimeMillis());
                    }
                }
            }
        } catch (RuntimeException serverGone) {
            // the crash: whatever was acknowledged before it is what counts
        }
    }

    long acknowledged() {
        return setAcks.size() + incrAcks.size() + pushAcks.size();
    }

    /** Compares the restarted server with what was acknowledged. */
    Loss verify(RawRespClient client, long stoppedAt) {
        long lost = 0;
        long oldest = Long.MAX_VALUE;
        long sets = 0;
        for (int i = 0; i < setAcks.size(); i++) {
            String value = client.callText("GET", "set:" + name + ":" + i);
            if (value.equals("$" + ("v" + i).length() + "\r\nv" + i + "\r\n")) {
                sets++;
            } else {
                lost++;
                oldest = Math.min(oldest, setAcks.get(i));
            }
        }
        long counter = number(client.callText("GET", "counter:" + name));
        for (long i = counter; i < incrAcks.size(); i++) {
            lost++;
            oldest = Math.min(oldest, incrAcks.get((int) i));
        }
        long length = number(client.callText("LLEN", "list:" + name));
        for (long i = length; i < pushAcks.size(); i++) {
            lost++;
            oldest = Math.min(oldest, pushAcks.get((int) i));
        }
        verifiedCounter = counter;
        verifiedLength = length;
        verifiedSets = sets;
        return new Loss(lost, lost == 0 ? 0 : stoppedAt - oldest);
    }

    /** After later rounds: 0 when this writer's keys are as verified right after its own round. */
    long verifyUnchanged(RawRespClient client) {
        long counter = number(client.callText("GET", "counter:" + name));
        long length = number(client.callText("LLEN", "list:" + name));
        long sets = 0;
        for (int i = 0; i < setAcks.size(); i++) {
            if (!client.callText("EXISTS", "set:" + name + ":" + i).equals(":0\r\n")) {
                sets++;
            }
        }
        return Math.abs(counter - verifiedCounter) + Math.abs(length - verifiedLength) + Math.abs(sets - verifiedSets);
    }

    /** The integer in a bulk or integer reply; 0 for a missing key. */
    private static long number(String reply) {
        if (reply.startsWith("$-1")) {
            return 0;
        }
        if (reply.startsWith(":")) {
            return Long.parseLong(reply.substring(1, reply.indexOf('\r')));
        }
        String body = reply.substring(reply.indexOf('\n') + 1);
        return Long.parseLong(body.substring(0, body.indexOf('\r')));
    }
}
