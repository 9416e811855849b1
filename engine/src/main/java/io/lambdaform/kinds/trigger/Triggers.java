package io.lambdaform.kinds.trigger;

import static java.util.Objects.requireNonNull;

import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.model.Collections2;
import io.lambdaform.resource.LiveResource;
import io.lambdaform.resource.Port;
import io.lambdaform.resource.Stack;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The port for triggers. A trigger is found on its function: its statement in the function's policy (Sid
 * {@code lambdaform-<trigger>}) and its link (a bucket's notification entry, a topic's subscription, an EventBridge
 * rule, an event source mapping, a function URL). The function carries {@link #TRIGGERS_TAG} once the stack made a
 * trigger on it, so that a stack without triggers reads nothing more, and {@link #URLS_TAG} naming its URL triggers
 * (a URL's configuration has no tags). Every mutation returns once the target has made it.
 */
public interface Triggers extends Port<Triggers.State> {
    /** On a function the stack made a trigger on: its policy and mappings are read for the stack's inventory. */
    String TRIGGERS_TAG = FunctionKind.TRIGGERS_TAG;

    /** On a function with URL triggers: their names ({@code name} or {@code name@alias}), separated by spaces. */
    String URLS_TAG = FunctionKind.URLS_TAG;

    /**
     * A statement of a function's policy, by what it means: the principal a service's name, an account's id or
     * {@code *} however the policy writes it.
     *
     * @param urlAuthType the FunctionUrlAuthType condition of a URL's statement
     */
    record Statement(
            String sid,
            String principal,
            String action,
            Optional<String> sourceArn,
            Optional<String> sourceAccount,
            Optional<String> urlAuthType) {
        public Statement {
            requireNonNull(sid, "sid is null");
            requireNonNull(principal, "principal is null");
            requireNonNull(action, "action is null");
            requireNonNull(sourceArn, "sourceArn is null");
            requireNonNull(sourceAccount, "sourceAccount is null");
            requireNonNull(urlAuthType, "urlAuthType is null");
        }

        /** Its fields, as plans compare and show them. */
        public SortedMap<String, String> fields() {
            SortedMap<String, String> fields = new TreeMap<>();
            fields.put("principal", principal);
            fields.put("action", action);
            sourceArn.ifPresent(a -> fields.put("sourceArn", a));
            sourceAccount.ifPresent(a -> fields.put("sourceAccount", a));
            urlAuthType.ifPresent(a -> fields.put("functionUrlAuthType", a));
            return fields;
        }
    }

    /**
     * The link a trigger made, as the target reports it.
     *
     * @param id what identifies it on the source: the notification entry's id, the subscription's ARN, the rule's name,
     *     the mapping's UUID, the URL
     * @param settings what the plan compares ({@link Trigger#settings}), with the source and the function's ARN
     */
    record Link(String id, SortedMap<String, String> settings) {
        public Link {
            requireNonNull(id, "id is null");
            settings = Collections2.sortedCopy(settings);
        }
    }

    /**
     * A trigger as the target reports it; a declared trigger of which nothing exists yet is reported too
     * ({@link #exists()} false), with whether its source exists.
     *
     * @param sourceFound whether the source exists (a bucket, queue, topic or stream the stack does not own)
     * @param owner the stack its tagged pieces (mapping, rule) name; empty for pieces AWS cannot tag, which belong
     *     to the stack that owns the function
     * @param stale pieces the stack made for this trigger elsewhere: on the function, alias or source it named
     *     before its declaration moved, or a second set of pieces of one name; the plan removes them
     */
    record State(
            String name,
            String function,
            Optional<String> qualifier,
            Trigger.Type type,
            Optional<Statement> permission,
            Optional<Link> link,
            boolean sourceFound,
            Optional<String> owner,
            List<State> stale)
            implements LiveResource {
        public State {
            requireNonNull(name, "name is null");
            requireNonNull(function, "function is null");
            requireNonNull(qualifier, "qualifier is null");
            requireNonNull(type, "type is null");
            requireNonNull(permission, "permission is null");
            requireNonNull(link, "link is null");
            requireNonNull(owner, "owner is null");
            stale = List.copyOf(stale);
        }

        /** A trigger with no pieces elsewhere. */
        public State(
                String name,
                String function,
                Optional<String> qualifier,
                Trigger.Type type,
                Optional<Statement> permission,
                Optional<Link> link,
                boolean sourceFound,
                Optional<String> owner) {
            this(name, function, qualifier, type, permission, link, sourceFound, owner, List.of());
        }

        /** With {@code more} pieces elsewhere. */
        public State withStale(List<State> more) {
            if (more.isEmpty()) {
                return this;
            }
            List<State> all = new ArrayList<>(stale);
            all.addAll(more);
            return new State(name, function, qualifier, type, permission, link, sourceFound, owner, all);
        }

        /** This piece alone, without the pieces elsewhere. */
        public State alone() {
            return new State(name, function, qualifier, type, permission, link, sourceFound, owner);
        }

        /** With the owner its link records. */
        public State withOwner(Optional<String> owner) {
            return new State(name, function, qualifier, type, permission, link, sourceFound, owner, stale);
        }

        /** Whether this piece is on the function and alias {@code trigger} names. */
        public boolean on(String function, Optional<String> qualifier) {
            return this.function.equals(function) && this.qualifier.equals(qualifier);
        }

        /** Nothing of the trigger exists: the state of a declared trigger before its first apply. */
        public static State absent(Trigger trigger, boolean sourceFound) {
            return new State(
                    trigger.name(),
                    trigger.function(),
                    trigger.qualifier(),
                    trigger.type(),
                    Optional.empty(),
                    Optional.empty(),
                    sourceFound,
                    Optional.empty());
        }

        public boolean exists() {
            return permission.isPresent() || link.isPresent() || !stale.isEmpty();
        }

        @Override
        public SortedMap<String, String> tags() {
            SortedMap<String, String> tags = new TreeMap<>();
            owner.ifPresent(o -> tags.put(Stack.OWNER_TAG, o));
            return tags;
        }

        public State withLink(Optional<Link> link) {
            return new State(name, function, qualifier, type, permission, link, sourceFound, owner, stale);
        }

        public State withPermission(Optional<Statement> permission) {
            return new State(name, function, qualifier, type, permission, link, sourceFound, owner, stale);
        }
    }

    /**
     * What making a link takes, as planned.
     *
     * @param stack the owner, tagged on the pieces AWS can tag
     * @param sourceArn the source's ARN (empty for a URL)
     * @param id the link's id where the stack names it: the notification entry's id, the rule's name
     * @param functionArn the ARN the source invokes, with the alias when there is one
     */
    record Connection(
            String trigger,
            String stack,
            String function,
            Optional<String> qualifier,
            Trigger.Type type,
            String sourceArn,
            String id,
            String functionArn,
            SortedMap<String, String> settings) {
        public Connection {
            requireNonNull(trigger, "trigger is null");
            requireNonNull(stack, "stack is null");
            requireNonNull(function, "function is null");
            requireNonNull(qualifier, "qualifier is null");
            requireNonNull(type, "type is null");
            requireNonNull(sourceArn, "sourceArn is null");
            requireNonNull(id, "id is null");
            requireNonNull(functionArn, "functionArn is null");
            settings = Collections2.sortedCopy(settings);
        }
    }

    /** Adds the statement to the function's (or its alias's) policy; one that is already there as planned is done. */
    void addPermission(String function, Optional<String> qualifier, Statement statement);

    /** Removes the statement; one that is already gone is done. */
    void removePermission(String function, Optional<String> qualifier, String sid);

    /** Makes the link; returns once the source invokes the function (a mapping waits until Enabled or Disabled). */
    Link connect(Connection connection);

    /** Changes the live link to the connection's settings. */
    Link update(Connection connection, Link live);

    /**
     * Removes the link, leaving everything else on the source as it is (another tool's notification entries, other
     * subscriptions); one that is already gone is done.
     */
    void disconnect(State live);
}
