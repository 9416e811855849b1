package io.lambdaform.kinds.loggroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.TestFiles;
import io.lambdaform.kinds.Kinds;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.manifest.Diagnostic;
import io.lambdaform.manifest.ManifestReader;
import io.lambdaform.manifest.ManifestSet;
import io.lambdaform.manifest.SchemaValidator;
import io.lambdaform.manifest.YamlReader;
import io.lambdaform.model.Sensitive;
import io.lambdaform.plan.LiveState;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.Planner;
import io.lambdaform.resource.Stack;
import io.lambdaform.resource.TargetDescription;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Log groups as a function of records: the manifests and what the target holds in, the plan out. */
class LogGroupKindTest {
    private static final TargetDescription TARGET =
            new TargetDescription("test", "in memory", "123456789012", "eu-west-1");
    private static final String NAME = "/aws/lambda/app-fn";

    @TempDir
    Path dir;

    private static Stack stack(LogGroup... groups) {
        return new Stack("app", Optional.of("eu-west-1"), new TreeMap<>(), List.of(groups), List.of(), Sensitive.NONE);
    }

    private static LogGroups.State live(int retention, Map<String, String> tags) {
        return new LogGroups.State(
                NAME, "arn:aws:logs:eu-west-1:123456789012:log-group:" + NAME, retention, new TreeMap<>(tags));
    }

    private static Plan plan(Stack stack, LogGroups.State live, Set<String> adopt) {
        return new Planner()
                .plan(
                        stack,
                        LiveState.builder(TARGET, Kinds.ALL)
                                .live(LogGroupKind.KIND, NAME, Optional.ofNullable(live))
                                .build(),
                        adopt);
    }

    private static Plan plan(Stack stack, LogGroups.State live) {
        return plan(stack, live, Set.of());
    }

    private static List<String> steps(Plan plan) {
        return plan.operations().stream()
                .map(op -> op.operation().key() + ": " + op.operation().type() + " "
                        + op.operation().summary() + " "
                        + op.operation().changes().stream()
                                .map(c -> c.field() + "=" + c.before().orElse("·") + ">"
                                        + c.after().orElse("·"))
                                .toList())
                .toList();
    }

    private static final Map<String, String> OWNED = Map.of(Stack.OWNER_TAG, "app");

    @Test
    void anAbsentLogGroup_isCreatedWithItsRetentionAndTags() {
        assertThat(steps(plan(stack(new LogGroup(NAME, 14, new TreeMap<>(Map.of("team", "core")))), null)))
                .containsExactly("log-group " + NAME + ": CreateLogGroup create log group [retentionInDays=·>14 days,"
                        + " tags.lambdaform:stack=·>app, tags.team=·>core]");
    }

    @Test
    void aLogGroupAsDeclared_plansNothing() {
        assertThat(plan(stack(new LogGroup(NAME, 14, new TreeMap<>())), live(14, OWNED))
                        .isEmpty())
                .isTrue();
        assertThat(plan(stack(new LogGroup(NAME, LogGroup.NEVER_EXPIRE, new TreeMap<>())), live(0, OWNED))
                        .isEmpty())
                .isTrue();
    }

    @Test
    void aChangedRetention_isSet_aRemovedOneDeleted_andTagsAreTheirOwnOperations() {
        assertThat(steps(plan(stack(new LogGroup(NAME, 14, new TreeMap<>())), live(1, OWNED))))
                .containsExactly("log-group " + NAME
                        + ": SetLogGroupRetention set retention policy [retentionInDays=1 days>14 days]");
        assertThat(steps(plan(
                        stack(new LogGroup(NAME, LogGroup.NEVER_EXPIRE, new TreeMap<>(Map.of("team", "core")))),
                        live(30, OWNED))))
                .containsExactly(
                        "log-group " + NAME
                                + ": SetLogGroupRetention remove retention policy [retentionInDays=30 days>never"
                                + " expire]",
                        "log-group " + NAME + ": TagResource tag team [tags.team=·>core]");
    }

    @Test
    void aLogGroupWithoutTheStacksTag_isAConflict_unlessAdopted() {
        Plan unowned = plan(stack(new LogGroup(NAME, 14, new TreeMap<>())), live(0, Map.of()));
        Plan adopted = plan(stack(new LogGroup(NAME, 14, new TreeMap<>())), live(0, Map.of()), Set.of(NAME));

        assertThat(unowned.operations()).isEmpty();
        assertThat(unowned.conflicts())
                .singleElement()
                .satisfies(c -> assertThat(c.owner()).isEmpty());
        assertThat(steps(adopted))
                .containsExactly(
                        "log-group " + NAME
                                + ": SetLogGroupRetention set retention policy [retentionInDays=never expire>14"
                                + " days]",
                        "log-group " + NAME + ": TagResource tag lambdaform:stack [tags.lambdaform:stack=·>app]");
    }

    @Test
    void aLogGroupNoLongerDeclared_isDeleted_afterTheFunctionsOperations() {
        Plan pruned = new Planner()
                .plan(
                        stack(),
                        LiveState.builder(TARGET, Kinds.ALL)
                                .inventory(LogGroupKind.KIND, new TreeSet<>(Set.of(NAME)))
                                .inventory(FunctionKind.KIND, new TreeSet<>(Set.of("gone")))
                                .build(),
                        Set.of());

        assertThat(steps(pruned))
                .contains("log-group " + NAME + ": DeleteLogGroup delete log group and the events it holds []");
        int delete = steps(pruned)
                .indexOf("log-group " + NAME + ": DeleteLogGroup delete log group and the events it holds []");
        assertThat(pruned.operations().get(delete).dependsOn()).isNotEmpty();
    }

    @Test
    void reading_takesTheRetention_andRefusesOneCloudWatchDoesNotAccept_andBadNames() {
        write("""
                kind: LogGroup
                name: /aws/lambda/app-fn
                spec:
                  retentionInDays: 14
                  tags: {team: core}
                ---
                kind: LogGroup
                name: /custom/forever
                """);

        ManifestSet set = read();

        assertThat(set.diagnostics()).isEmpty();
        assertThat(set.stack().orElseThrow().resources(LogGroupKind.KIND))
                .containsExactly(
                        new LogGroup("/aws/lambda/app-fn", 14, new TreeMap<>(Map.of("team", "core"))),
                        new LogGroup("/custom/forever", LogGroup.NEVER_EXPIRE, new TreeMap<>()));

        write("""
                kind: LogGroup
                name: /aws/lambda/app-fn
                spec:
                  retentionInDays: 15
                ---
                kind: LogGroup
                name: "bad name!"
                """);

        List<String> messages =
                read().diagnostics().stream().map(Diagnostic::message).toList();
        assertThat(messages)
                .anyMatch(m -> m.contains("retentionInDays"))
                .anyMatch(m -> m.contains("bad name!") || m.contains("pattern"));
    }

    private void write(String groups) {
        TestFiles.write(dir, "stack.yaml", "kind: Stack\nname: app\n");
        TestFiles.write(dir, "groups.yaml", groups);
    }

    private ManifestSet read() {
        return new ManifestReader(new YamlReader(), new SchemaValidator()).read(List.of(dir), dir);
    }
}
