package dev.magpie.management.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.magpie.management.store.JsonDocument;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every operation the plane knows, in memory for lock-free reads and on disk so results outlive a
 * restart. Only the operations thread writes; each state change is forced to disk before it is acted on.
 */
public final class OperationJournal {

    /** The code an operation ends with when the plane stopped before it finished. */
    public static final String INTERRUPTED = "OperationInterrupted";

    private final JsonDocument document;
    private final Map<String, OperationRecord> operations = new ConcurrentHashMap<>();

    private OperationJournal(JsonDocument document) {
        this.document = document;
    }

    /**
     * Loads the journal and ends every operation the previous run left unfinished: re-running one is not
     * provably safe (the keys written since would be flushed too), so it is reported, never dropped.
     */
    public static OperationJournal open(JsonDocument document, Instant now) throws IOException {
        OperationJournal journal = new OperationJournal(document);
        document.load().ifPresent(body -> body.path("operations")
                .forEach(node -> journal.operations.put(node.path("id").asText(), fromJson(node))));
        boolean changed = false;
        for (OperationRecord record : List.copyOf(journal.operations.values())) {
            if (record.state() == OperationState.QUEUED) {
                journal.operations.put(record.id(), record.failed(now, INTERRUPTED,
                        "The management service stopped before this operation started; it did not run. Submit it again."));
                changed = true;
            } else if (record.state() == OperationState.RUNNING) {
                journal.operations.put(record.id(), record.failed(now, INTERRUPTED,
                        "The management service stopped while this operation was running; it was not re-run, "
                                + "so it may have completed partly or wholly. Submit it again to be sure."));
                changed = true;
            }
        }
        if (changed) {
            journal.persist();
        }
        return journal;
    }

    public Optional<OperationRecord> find(String id) {
        return Optional.ofNullable(operations.get(id));
    }

    /** Records a state change durably; the caller must not act on it if this throws. */
    public void record(OperationRecord record) throws IOException {
        OperationRecord previous = operations.put(record.id(), record);
        try {
            persist();
        } catch (IOException e) {
            if (previous == null) operations.remove(record.id()); else operations.put(record.id(), previous);
            throw e;
        }
    }

    /** Progress is shown live but not forced to disk: after a restart it no longer means anything. */
    public void recordProgress(OperationRecord record) {
        operations.put(record.id(), record);
    }

    /** Forgets results that ended longer ago than the retention period. */
    public void expire(Instant now, Duration retention) throws IOException {
        boolean removed = operations.values().removeIf(r -> isExpired(r, now, retention));
        if (removed) {
            persist();
        }
    }

    public static boolean isExpired(OperationRecord record, Instant now, Duration retention) {
        return record.state().ended() && record.endTime() != null && record.endTime().plus(retention).isBefore(now);
    }

    private void persist() throws IOException {
        ArrayNode list = JsonDocument.mapper().createArrayNode();
        List<OperationRecord> ordered = new ArrayList<>(operations.values());
        ordered.sort((a, b) -> a.createdTime().compareTo(b.createdTime()));
        ordered.forEach(r -> list.add(toJson(r)));
        ObjectNode body = JsonDocument.mapper().createObjectNode();
        body.set("operations", list);
        document.save(body);
    }

    private static ObjectNode toJson(OperationRecord r) {
        ObjectNode node = JsonDocument.mapper().createObjectNode();
        node.put("id", r.id());
        node.put("subscriptionId", r.subscriptionId());
        node.put("resourceGroup", r.resourceGroup());
        node.put("cacheName", r.cacheName());
        node.put("location", r.location());
        if (!r.scope().isEverything()) {
            ObjectNode scope = node.putObject("scope");
            scope.put("prefix", r.scope().prefix());
            scope.put("recursive", r.scope().recursive());
            scope.put("database", r.scope().database());
        }
        node.put("state", r.state().name());
        node.put("percentComplete", r.percentComplete());
        node.put("createdTime", r.createdTime().toString());
        node.put("startTime", r.startTime() == null ? null : r.startTime().toString());
        node.put("endTime", r.endTime() == null ? null : r.endTime().toString());
        node.put("errorCode", r.errorCode());
        node.put("errorMessage", r.errorMessage());
        return node;
    }

    private static OperationRecord fromJson(JsonNode n) {
        JsonNode scope = n.get("scope");
        FlushScope flushScope = scope == null || scope.isNull() ? FlushScope.everything()
                : new FlushScope(scope.path("prefix").asText(), scope.path("recursive").asBoolean(),
                scope.path("database").asInt());
        return new OperationRecord(n.path("id").asText(), n.path("subscriptionId").asText(),
                n.path("resourceGroup").asText(), n.path("cacheName").asText(), n.path("location").asText(),
                flushScope, OperationState.valueOf(n.path("state").asText()), n.path("percentComplete").asDouble(),
                instant(n, "createdTime"), instant(n, "startTime"), instant(n, "endTime"),
                text(n, "errorCode"), text(n, "errorMessage"));
    }

    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : Instant.parse(value);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
