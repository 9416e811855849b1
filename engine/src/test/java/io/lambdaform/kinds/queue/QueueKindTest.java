package io.lambdaform.kinds.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdaform.TestFiles;
import io.lambdaform.kinds.Kinds;
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

/** Queues as a function of records (the manifests and what the target holds in, the plan out), and their reading. */
class QueueKindTest {
    private static final TargetDescription TARGET =
            new TargetDescription("test", "in memory", "123456789012", "eu-west-1");
    private static final Map<String, String> OWNED = Map.of(Stack.OWNER_TAG, "app");

    @TempDir
    Path dir;

    private static Stack stack(Queue... queues) {
        return new Stack("app", Optional.of("eu-west-1"), new TreeMap<>(), List.of(queues), List.of(), Sensitive.NONE);
    }

    private static Queues.State live(String name, int visibility, int retention, Map<String, String> tags) {
        return new Queues.State(
                name,
                "arn:aws:sqs:eu-west-1:123456789012:" + name,
                "https://sqs.eu-west-1.amazonaws.com/123456789012/" + name,
                visibility,
                retention,
                new TreeMap<>(tags));
    }

    private static Plan plan(Stack stack, Queues.State live) {
        String name = stack.resources(QueueKind.KIND).get(0).name();
        return new Planner()
                .plan(
                        stack,
                        LiveState.builder(TARGET, Kinds.ALL)
                                .live(QueueKind.KIND, name, Optional.ofNullable(live))
                                .build(),
                        Set.of());
    }

    private static List<String> steps(Plan plan) {
        return plan.operations().stream()
                .map(op -> op.operation().key() + ": " + op.operation().type() + " "
                        + op.operation().summary() + " "
                        + op.operation().changes().stream()
                                .map(c -> c.field() + " " + c.before().orElse("·") + "→"
                                        + c.after().orElse("·"))
                                .toList())
                .toList();
    }

    @Test
    void anAbsentQueue_isCreatedWithItsAttributesAndTags_aFifoQueueSayingSo() {
        assertThat(steps(plan(stack(new Queue("jobs", 300, 86_400, new TreeMap<>())), null)))
                .containsExactly("queue jobs: CreateQueue create queue [visibilityTimeout ·→5m, messageRetention ·→1d,"
                        + " tags.lambdaform:stack ·→app]");
        assertThat(steps(plan(stack(new Queue("jobs.fifo", 30, 345_600, new TreeMap<>())), null)))
                .containsExactly("queue jobs.fifo: CreateQueue create FIFO queue [fifo ·→true, visibilityTimeout ·→30s,"
                        + " messageRetention ·→4d, tags.lambdaform:stack ·→app]");
    }

    @Test
    void aQueueAsDeclared_plansNothing() {
        Plan plan = plan(stack(new Queue("jobs", 300, 86_400, new TreeMap<>())), live("jobs", 300, 86_400, OWNED));

        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void changedAttributes_areOneUpdateNamingEachChangedField_andTagsTheirOwnOperations() {
        Plan visibility = plan(
                stack(new Queue("jobs", 900, 86_400, new TreeMap<>(Map.of("team", "core")))),
                live("jobs", 300, 86_400, OWNED));
        Plan both = plan(stack(new Queue("jobs", 45, 3_600, new TreeMap<>())), live("jobs", 300, 86_400, OWNED));

        assertThat(steps(visibility))
                .containsExactly(
                        "queue jobs: UpdateQueue set queue attributes [visibilityTimeout 5m→15m]",
                        "queue jobs: TagResource tag team [tags.team ·→core]");
        assertThat(steps(both))
                .containsExactly("queue jobs: UpdateQueue set queue attributes [visibilityTimeout 5m→45s,"
                        + " messageRetention 1d→1h]");
    }

    @Test
    void aQueueNoLongerDeclared_isDeleted() {
        LiveState live = LiveState.builder(TARGET, Kinds.ALL)
                .inventory(QueueKind.KIND, new TreeSet<>(Set.of("old")))
                .build();

        Plan plan = new Planner().plan(stack(), live, Set.of());

        assertThat(steps(plan)).containsExactly("queue old: DeleteQueue delete queue and the messages it holds []");
    }

    @Test
    void reading_takesDurations_andDefaultsToSqsDefaults() {
        write("""
                kind: Queue
                name: jobs
                spec:
                  visibilityTimeout: 5m
                  messageRetention: 1209600
                ---
                kind: Queue
                name: plain
                """);

        ManifestSet set = read();

        assertThat(set.diagnostics()).isEmpty();
        assertThat(set.stack().orElseThrow().resources(QueueKind.KIND))
                .containsExactly(
                        new Queue("jobs", 300, 1_209_600, new TreeMap<>()),
                        new Queue("plain", 30, 345_600, new TreeMap<>()));
    }

    @Test
    void reading_refusesDurationsOutsideSqsLimits_orNotWholeSeconds_andBadNames() {
        write("""
                kind: Queue
                name: long
                spec:
                  visibilityTimeout: 13h
                  messageRetention: 30s
                ---
                kind: Queue
                name: fractional
                spec:
                  visibilityTimeout: 1500ms
                ---
                kind: Queue
                name: too-big
                spec:
                  visibilityTimeout: 50000
                ---
                kind: Queue
                name: not.a.fifo
                """);

        List<String> messages =
                read().diagnostics().stream().map(Diagnostic::message).toList();

        assertThat(messages)
                .anyMatch(m -> m.contains("'spec.visibilityTimeout' is 13h, expected 0s to 12h (SQS's limits)"))
                .anyMatch(m -> m.contains("'spec.messageRetention' is 30s, expected 1m to 14d (SQS's limits)"))
                .anyMatch(m -> m.contains("'spec.visibilityTimeout' must be whole seconds"))
                .anyMatch(m -> m.contains("43200"))
                .anyMatch(m -> m.contains("not.a.fifo") || m.contains("pattern"))
                .hasSize(5);
    }

    @Test
    void theVisibilityTimeoutOfASpec_isReadForTriggers_withSqsDefault() throws Exception {
        ObjectMapper json = new ObjectMapper();

        assertThat(QueueKind.visibilityTimeoutSeconds(json.readTree("{\"visibilityTimeout\": \"2m\"}")))
                .isEqualTo(120);
        assertThat(QueueKind.visibilityTimeoutSeconds(json.readTree("{\"visibilityTimeout\": 900}")))
                .isEqualTo(900);
        assertThat(QueueKind.visibilityTimeoutSeconds(json.readTree("{\"visibilityTimeout\": \"PT1M\"}")))
                .isEqualTo(60);
        assertThat(QueueKind.visibilityTimeoutSeconds(json.readTree("{}"))).isEqualTo(30);
        assertThat(QueueKind.visibilityTimeoutSeconds(json.missingNode())).isEqualTo(30);
    }

    private void write(String queues) {
        TestFiles.write(dir, "stack.yaml", "kind: Stack\nname: app\n");
        TestFiles.write(dir, "queues.yaml", queues);
    }

    private ManifestSet read() {
        return new ManifestReader(new YamlReader(), new SchemaValidator()).read(List.of(dir), dir);
    }
}
