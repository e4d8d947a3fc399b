package io.controlplane.agent;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The system the reference agent works on: a small CRM of contacts, kept in memory, with what a real one offers an
 * agent — reads, tag writes and outbound messages, each write recorded in a <em>change set</em> (the agent names it
 * after the mission and play, as an integration would use a batch id) together with the records as they were before.
 * That makes the plays' undo plans real: {@link #undo} reverts a change set when nobody changed its records since and
 * refuses otherwise, and {@link #restoreFromBackup} puts the records back as the backup taken before the play had them,
 * whatever happened since (the undo-failure runbook's alternate rollback).
 *
 * <p>Like a real CRM it can be unreachable: {@link #revokeAccess} makes every call fail as a revoked API token does (a
 * person has to fix it), {@link #timeOutNextCalls} makes the next calls time out (a retry will do).
 */
public final class InMemoryCrm {
    /** A contact; {@code version} grows with every write, whoever made it. */
    public record Contact(
            String id,
            String name,
            String email,
            String timeZone,
            String company,
            LocalDate lastActivity,
            Set<String> tags,
            int version) {
        public Contact {
            tags = Set.copyOf(tags);
        }

        /** Every field the plays need: someone to write to, and their time zone for a civil hour. */
        boolean complete() {
            return name != null && email != null && timeZone != null;
        }

        Contact withTags(Set<String> newTags) {
            return new Contact(id, name, email, timeZone, company, lastActivity, newTags, version + 1);
        }
    }

    /** A message the CRM sent for the agent, and what it cost. */
    public record Message(String changeSet, String contactId, String email, String text, int costCents) {}

    /** Why a call failed: {@code needsPerson} when retrying cannot help until someone fixes the cause. */
    public static final class CrmException extends RuntimeException {
        private final boolean needsPerson;

        CrmException(String message, boolean needsPerson) {
            super(message);
            this.needsPerson = needsPerson;
        }

        public boolean needsPerson() {
            return needsPerson;
        }
    }

    /** An undo refused because the records changed since the change set wrote them. */
    public static final class ChangedSinceException extends RuntimeException {
        ChangedSinceException(String message) {
            super(message);
        }
    }

    private static final class ChangeSet {
        final Map<String, Contact> before = new LinkedHashMap<>();
        final Map<String, Integer> writtenVersion = new LinkedHashMap<>();
        final List<Message> messages = new ArrayList<>();
        String state = "APPLIED";
    }

    /** What one message costs, in cents, as the CRM bills it after sending (the agent learns it from the answer). */
    public static final int MESSAGE_COST_CENTS = 4;

    private final Map<String, Contact> contacts = new LinkedHashMap<>();
    private final Map<String, ChangeSet> changeSets = new LinkedHashMap<>();
    private final List<Message> outbox = new ArrayList<>();
    private boolean accessRevoked;
    private int timeouts;

    /**
     * {@code count} contacts; every third one last active over 90 days ago (dormant), and {@code incomplete} of them
     * without a time zone (the data gap the inspection reports).
     */
    public static InMemoryCrm seeded(int count, int incomplete, LocalDate today) {
        InMemoryCrm crm = new InMemoryCrm();
        for (int i = 1; i <= count; i++) {
            String id = String.format("c-%03d", i);
            boolean dormant = i % 3 != 0;
            crm.contacts.put(
                    id,
                    new Contact(
                            id,
                            "Contact " + i,
                            "contact" + i + "@example.org",
                            i <= incomplete
                                    ? null
                                    : List.of("Europe/Berlin", "America/New_York", "Asia/Tokyo")
                                            .get(i % 3),
                            "Company " + (1 + i % 7),
                            today.minusDays(dormant ? 100 + i : 10 + i),
                            Set.of(),
                            1));
        }
        return crm;
    }

    public synchronized void revokeAccess() {
        accessRevoked = true;
    }

    public synchronized void restoreAccess() {
        accessRevoked = false;
    }

    public synchronized void timeOutNextCalls(int calls) {
        timeouts = calls;
    }

    private void reachable() {
        if (accessRevoked) {
            throw new CrmException("CRM answered 401: the API token was revoked", true);
        }
        if (timeouts > 0) {
            timeouts--;
            throw new CrmException("CRM did not answer within 10 s", false);
        }
    }

    public synchronized List<Contact> contacts() {
        reachable();
        return List.copyOf(contacts.values());
    }

    /** Adds {@code tag} to each contact, in change set {@code changeSet} (created on first use). */
    public synchronized void tag(String changeSet, Collection<String> contactIds, String tag) {
        reachable();
        ChangeSet cs = changeSets.computeIfAbsent(changeSet, k -> new ChangeSet());
        for (String id : contactIds) {
            Contact c = existing(id);
            cs.before.putIfAbsent(id, c);
            Set<String> tags = new LinkedHashSet<>(c.tags());
            tags.add(tag);
            Contact written = c.withTags(tags);
            contacts.put(id, written);
            cs.writtenVersion.put(id, written.version());
        }
    }

    /** Sends a message in change set {@code changeSet}; answers what it cost. */
    public synchronized int send(String changeSet, String contactId, String text) {
        reachable();
        Contact c = existing(contactId);
        Message m = new Message(changeSet, contactId, c.email(), text, MESSAGE_COST_CENTS);
        changeSets.computeIfAbsent(changeSet, k -> new ChangeSet()).messages.add(m);
        outbox.add(m);
        return m.costCents();
    }

    /**
     * Reverts a change set: the tags as they were before, a correction to every recipient of its messages. Refused,
     * changing nothing, when a record it wrote was changed since by anyone.
     */
    public synchronized void undo(String changeSet, String correction) {
        reachable();
        ChangeSet cs = changeSets.get(changeSet);
        if (cs == null || !cs.state.equals("APPLIED")) {
            return; // nothing of it is in the CRM (the play wrote nothing, or it was undone already): done
        }
        List<String> changed = cs.writtenVersion.entrySet().stream()
                .filter(e -> existing(e.getKey()).version() != e.getValue())
                .map(Map.Entry::getKey)
                .toList();
        if (!changed.isEmpty()) {
            throw new ChangedSinceException("records changed since the play wrote them: " + String.join(", ", changed));
        }
        cs.before.forEach((id, was) -> contacts.put(id, existing(id).withTags(was.tags())));
        for (Message m : cs.messages) {
            outbox.add(new Message(changeSet + ":undo", m.contactId(), m.email(), correction, MESSAGE_COST_CENTS));
        }
        cs.state = "UNDONE";
    }

    /**
     * Puts every record the change set wrote back as the backup taken before it had them, whatever changed since.
     * Answers how many records were restored.
     */
    public synchronized int restoreFromBackup(String changeSet) {
        reachable();
        ChangeSet cs = changeSets.get(changeSet);
        if (cs == null) {
            return 0;
        }
        cs.before.forEach((id, was) -> contacts.put(id, existing(id).withTags(was.tags())));
        cs.state = "RESTORED";
        return cs.before.size();
    }

    /** Someone else (a salesperson in the CRM's own UI) edits a contact. */
    public synchronized void editedBySomeoneElse(String contactId, String addedTag) {
        Contact c = existing(contactId);
        Set<String> tags = new LinkedHashSet<>(c.tags());
        tags.add(addedTag);
        contacts.put(contactId, c.withTags(tags));
    }

    // what the test looks at: read without the agent's credentials, so never refused

    public synchronized Contact contact(String id) {
        return existing(id);
    }

    public synchronized List<String> touchedBy(String changeSet) {
        ChangeSet cs = changeSets.get(changeSet);
        return cs == null ? List.of() : List.copyOf(cs.before.keySet());
    }

    public synchronized String state(String changeSet) {
        ChangeSet cs = changeSets.get(changeSet);
        return cs == null ? null : cs.state;
    }

    public synchronized List<Message> outbox() {
        return List.copyOf(outbox);
    }

    private Contact existing(String id) {
        Contact c = contacts.get(id);
        if (c == null) {
            throw new IllegalArgumentException("no contact " + id);
        }
        return c;
    }
}
