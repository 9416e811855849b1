package io.lambdaform.cloud.local;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.kinds.alias.Alias;
import io.lambdaform.kinds.trigger.Trigger;
import io.lambdaform.kinds.trigger.TriggerKind;
import io.lambdaform.kinds.trigger.Triggers;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.Stack;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Triggers} port in the local cloud: each function's policy statements in the state's "permissions"
 * section ({@code function[:alias]/sid}), and each trigger's link in "triggers", recorded as AWS would keep them and
 * refusing what Lambda refuses (a statement id used twice, a trigger of a function or alias that does not exist).
 * Sources do not deliver events here: a trigger's event is generated ({@code lambdaform events}) and invoked, and a
 * URL is served by {@code lambdaform serve}. The local cloud has no account of its own to look in, so a source the
 * stack does not own is taken to exist.
 */
public final class LocalTriggers implements Triggers {
    /** A statement of a function's policy. */
    record LocalPermission(String function, Optional<String> qualifier, Statement statement) {}

    /** A trigger's link, with what finds it again: its function and type, and its owner. */
    public record LocalLink(
            String trigger,
            Trigger.Type type,
            String function,
            Optional<String> qualifier,
            Link link,
            Optional<String> owner) {}

    static final LocalState.Section<LocalPermission> PERMISSIONS =
            new LocalState.Section<>("permissions", "permission", LocalPermission.class);
    static final LocalState.Section<LocalLink> LINKS = new LocalState.Section<>("triggers", "trigger", LocalLink.class);

    private final LocalCloud cloud;

    @Inject
    public LocalTriggers(LocalCloud cloud) {
        this.cloud = requireNonNull(cloud, "cloud is null");
    }

    private static String permissionKey(String function, Optional<String> qualifier, String sid) {
        return function + qualifier.map(q -> ":" + q).orElse("") + "/" + sid;
    }

    @Override
    public Optional<State> find(Resource declared) {
        Trigger trigger = (Trigger) declared;
        LocalState state = cloud.store().read();
        Optional<LocalPermission> permission = state.get(
                PERMISSIONS, permissionKey(trigger.function(), trigger.qualifier(), Trigger.sid(trigger.name())));
        Optional<LocalLink> link = state.get(LINKS, linkKey(trigger.function(), trigger.name()));
        State found = State.absent(trigger, true)
                .withPermission(permission.map(LocalPermission::statement))
                .withLink(link.map(LocalLink::link));
        return Optional.of(link.map(l -> found.withOwner(l.owner())).orElse(found));
    }

    /**
     * Where a link is kept: by function and trigger, as AWS keeps a trigger's pieces on its function (two stacks may
     * each have a trigger of one name on their own functions).
     */
    static String linkKey(String function, String trigger) {
        return function + "/" + trigger;
    }

    /** The triggers the inventory found, by name, for pruning them. */
    private final Map<String, State> inventoried = new ConcurrentHashMap<>();

    @Override
    public Optional<State> find(String name) {
        return Optional.ofNullable(inventoried.get(name));
    }

    @Override
    public Optional<State> find(Resource declared, String stackName) {
        Trigger trigger = (Trigger) declared;
        Optional<State> found = find(declared);
        List<State> stale = pieces(stackName).stream()
                .filter(p -> p.name().equals(trigger.name()) && !p.on(trigger.function(), trigger.qualifier()))
                .toList();
        return found.map(f -> f.withStale(stale));
    }

    /**
     * The stack's pieces of triggers: each link it owns with the statement of its trigger on the same function and
     * alias, and each statement the stack added ({@code lambdaform-} ids) to its functions without a link.
     */
    private List<State> pieces(String stackName) {
        LocalState state = cloud.store().read();
        List<State> pieces = new ArrayList<>();
        Set<String> linked = new HashSet<>();
        state.all(LINKS).values().forEach(l -> {
            if (l.owner().filter(stackName::equals).isEmpty()) {
                return;
            }
            String key = permissionKey(l.function(), l.qualifier(), Trigger.sid(l.trigger()));
            Optional<LocalPermission> permission = state.get(PERMISSIONS, key);
            permission.ifPresent(p -> linked.add(key));
            pieces.add(new State(
                    l.trigger(),
                    l.function(),
                    l.qualifier(),
                    l.type(),
                    permission.map(LocalPermission::statement),
                    Optional.of(l.link()),
                    true,
                    l.owner()));
        });
        Set<String> owned = state.ownedBy(LocalFunctions.SECTION, stackName, Set.of(), f -> f.tags());
        state.all(PERMISSIONS).forEach((key, p) -> {
            String sid = p.statement().sid();
            if (!sid.startsWith(Trigger.SID_PREFIX) || !owned.contains(p.function()) || linked.contains(key)) {
                return;
            }
            String name = sid.substring(Trigger.SID_PREFIX.length());
            pieces.add(new State(
                    name,
                    p.function(),
                    p.qualifier(),
                    TriggerKind.typeOf(
                            p.function(), name, p.statement(), cloud.describe().accountId()),
                    Optional.of(p.statement()),
                    Optional.empty(),
                    true,
                    Optional.empty()));
        });
        return pieces;
    }

    /**
     * The triggers whose links name the stack, and the statements the stack added ({@code lambdaform-} ids) to the
     * functions it owns.
     */
    @Override
    public SortedSet<String> inventory(String stackName, Set<String> except) {
        Map<String, List<State>> byName = new TreeMap<>();
        for (State piece : pieces(stackName)) {
            if (!except.contains(piece.name())) {
                byName.computeIfAbsent(piece.name(), n -> new ArrayList<>()).add(piece);
            }
        }
        byName.forEach((name, found) -> inventoried.put(name, found.get(0).withStale(found.subList(1, found.size()))));
        return new TreeSet<>(byName.keySet());
    }

    /** Only a link records an owner: adopting a trigger names the stack on it. */
    @Override
    public void tag(String name, Map<String, String> tags) {
        setOwner(name, Optional.ofNullable(tags.get(Stack.OWNER_TAG)));
    }

    @Override
    public void untag(String name, Collection<String> tagKeys) {
        if (tagKeys.contains(Stack.OWNER_TAG)) {
            setOwner(name, Optional.empty());
        }
    }

    private void setOwner(String name, Optional<String> owner) {
        cloud.store().update(state -> {
            Optional.ofNullable(inventoried.get(name))
                    .filter(t -> t.link().isPresent())
                    .map(t -> linkKey(t.function(), name))
                    .or(() -> state.all(LINKS).entrySet().stream()
                            .filter(e -> e.getValue().trigger().equals(name))
                            .map(Map.Entry::getKey)
                            .findFirst())
                    .ifPresent(key -> state.get(LINKS, key)
                            .ifPresent(l -> state.put(
                                    LINKS,
                                    key,
                                    new LocalLink(
                                            l.trigger(), l.type(), l.function(), l.qualifier(), l.link(), owner))));
            return state;
        });
    }

    @Override
    public void addPermission(String function, Optional<String> qualifier, Statement statement) {
        String key = permissionKey(function, qualifier, statement.sid());
        cloud.store().update(state -> {
            requireFunction(state, function, qualifier);
            Optional<LocalPermission> live = state.get(PERMISSIONS, key);
            if (live.isPresent() && !live.get().statement().equals(statement)) {
                throw LocalCloud.refused(
                        "ResourceConflictException",
                        "The statement id (" + statement.sid() + ") provided already exists. Please provide a new"
                                + " statement id, or remove the existing statement.");
            }
            state.put(PERMISSIONS, key, new LocalPermission(function, qualifier, statement));
            return state;
        });
    }

    @Override
    public void removePermission(String function, Optional<String> qualifier, String sid) {
        cloud.store().update(state -> {
            state.remove(PERMISSIONS, permissionKey(function, qualifier, sid));
            return state;
        });
    }

    @Override
    public Link connect(Connection connection) {
        String id = switch (connection.type()) {
            case SQS, KINESIS, DYNAMODB -> UUID.randomUUID().toString();
            case SNS -> connection.sourceArn() + ":" + UUID.randomUUID();
            case URL ->
                "https://" + UUID.randomUUID().toString().replace("-", "") + ".lambda-url."
                        + cloud.describe().region() + ".on.aws/";
            default -> connection.id();
        };
        Link link = new Link(id, connection.settings());
        cloud.store().update(state -> {
            requireFunction(state, connection.function(), connection.qualifier());
            if (state.get(LINKS, linkKey(connection.function(), connection.trigger()))
                    .isPresent()) {
                throw LocalCloud.refused(
                        "ResourceConflictException", "The trigger " + connection.trigger() + " already exists");
            }
            state.put(LINKS, linkKey(connection.function(), connection.trigger()), local(connection, link));
            return state;
        });
        return link;
    }

    private static LocalLink local(Connection connection, Link link) {
        return new LocalLink(
                connection.trigger(),
                connection.type(),
                connection.function(),
                connection.qualifier(),
                link,
                // Unlike AWS, the local cloud can record the owner of every link (a URL's, an S3 entry's).
                Optional.of(connection.stack()));
    }

    @Override
    public Link update(Connection connection, Link live) {
        Link link = new Link(live.id(), connection.settings());
        cloud.store().update(state -> {
            requireFunction(state, connection.function(), connection.qualifier());
            state.put(LINKS, linkKey(connection.function(), connection.trigger()), local(connection, link));
            return state;
        });
        return link;
    }

    @Override
    public void disconnect(State live) {
        cloud.store().update(state -> {
            state.remove(LINKS, linkKey(live.function(), live.name()));
            return state;
        });
    }

    /** Lambda refuses a trigger of a function, or of an alias, that does not exist. */
    private static void requireFunction(LocalState state, String function, Optional<String> qualifier) {
        if (state.get(LocalFunctions.SECTION, function).isEmpty()) {
            throw LocalCloud.refused("ResourceNotFoundException", "Function not found: " + function);
        }
        qualifier.ifPresent(q -> {
            if (state.get(LocalAliases.SECTION, Alias.name(function, q)).isEmpty()) {
                throw LocalCloud.refused("ResourceNotFoundException", "Function not found: " + function + ":" + q);
            }
        });
    }
}
