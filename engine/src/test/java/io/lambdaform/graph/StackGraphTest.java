package io.lambdaform.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.kinds.alias.Alias;
import io.lambdaform.kinds.alias.AliasKind;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.RoleRef;
import io.lambdaform.kinds.loggroup.LogGroup;
import io.lambdaform.kinds.loggroup.LogGroupKind;
import io.lambdaform.kinds.queue.Queue;
import io.lambdaform.kinds.role.Role;
import io.lambdaform.kinds.trigger.Trigger;
import io.lambdaform.kinds.trigger.TriggerKind;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.ResourceKey;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Graphs from records: links through the kinds, across stacks, hostile names, sensitive values, limits, changes. */
class StackGraphTest {
    private static final CodeSource CODE = new CodeSource(Path.of("/nowhere/src"), CodeSource.Kind.FOLDER, List.of());

    /** Every text a manifest can put in a graph, at its most hostile. */
    private static final String HOSTILE =
            "x\"]; click n1 \"javascript:alert(1)\" %% comment\n  n1 --> n2[<script>alert(1)</script>]"
                    + " `code` #quot; *em* {{b}} |p| \\N \u202Eevil & &amp; $$x$$ \r\u0000";

    private static Function function(String name, RoleRef role, FunctionSettings settings) {
        return new Function(name, CODE, role, settings, new TreeSet<>(), new TreeMap<>());
    }

    private static FunctionSettings settings(
            Optional<String> deadLetter, Optional<String> onFailure, List<String> layers, Optional<String> logGroup) {
        return new FunctionSettings(
                        "python3.12",
                        "app.handler",
                        "",
                        128,
                        3,
                        new TreeMap<>(Map.of("PLAIN", "plain-environment-value")),
                        List.of("x86_64"),
                        512,
                        layers,
                        Optional.empty(),
                        Optional.empty(),
                        deadLetter,
                        Optional.empty(),
                        logGroup.map(g -> new FunctionSettings.LoggingConfig(
                                "Text", Optional.empty(), Optional.empty(), Optional.of(g))),
                        Optional.empty(),
                        Optional.empty())
                .withAsyncInvoke(onFailure.map(arn -> new FunctionSettings.AsyncInvokeConfig(
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(arn))));
    }

    private static Role role(String name) {
        return new Role(name, "/", "", "{}", new TreeSet<>(), new TreeMap<>(), new TreeMap<>(), 3600, Optional.empty());
    }

    private static Trigger sqs(String name, String function, String queue, boolean declared) {
        return new Trigger(
                name, function, Optional.empty(), Trigger.Type.SQS, queue, declared, new TreeMap<>(), Optional.empty());
    }

    private static Stack stack(String name, Sensitive sensitive, Resource... resources) {
        return new Stack(name, Optional.empty(), new TreeMap<>(), List.of(resources), List.of(), sensitive);
    }

    @Test
    void links_comeFromTheKinds_acrossStacks_andWhatNoStackDeclaresIsOutside() {
        Stack orders = stack(
                "orders",
                Sensitive.NONE,
                role("orders-fn"),
                function(
                        "create",
                        new RoleRef.StackRole("orders-fn"),
                        settings(
                                Optional.of("arn:aws:sns:us-east-1:123456789012:dead"),
                                Optional.of("arn:aws:sqs:us-east-1:123456789012:shared-failures"),
                                List.of("arn:aws:lambda:us-east-1:123456789012:layer:tools:3"),
                                Optional.empty())),
                new LogGroup("/aws/lambda/create", 14, new TreeMap<>()),
                new Alias("create", "live", Optional.empty(), false, Optional.empty()),
                new Trigger(
                        "jobs",
                        "create",
                        Optional.of("live"),
                        Trigger.Type.SQS,
                        "arn:aws:sqs:us-east-1:123456789012:jobs",
                        false,
                        new TreeMap<>(),
                        Optional.empty()));
        Stack shared = stack(
                "shared",
                Sensitive.NONE,
                new Queue("shared-failures", 30, 345_600, new TreeMap<>()),
                function(
                        "audit",
                        new RoleRef.External("arn:aws:iam::123456789012:role/service/orders-fn"),
                        settings(
                                Optional.of("arn:aws:sns:us-east-1:123456789012:dead"),
                                Optional.empty(),
                                List.of(),
                                Optional.of("/custom/audit"))));

        StackGraph graph = StackGraph.of(List.of(shared, orders));
        String mermaid = MermaidGraph.render(graph);

        assertThat(graph.clusters()).extracting(StackGraph.Cluster::stack).containsExactly("orders", "shared");
        assertThat(mermaid)
                .contains("{{\"role<br>orders-fn\"}}")
                .contains("(\"function<br>create\")")
                .contains("([\"alias<br>create:live\"])")
                .contains("[[\"queue<br>shared-failures\"]]")
                // the same dead-letter topic of both stacks is one node outside them
                .containsOnlyOnce("topic (outside the stacks)<br>arn:aws:sns:us-east-1:123456789012:dead")
                .contains("layer (outside the stacks)<br>arn:aws:lambda:us-east-1:123456789012:layer:tools:3")
                .contains("log-group (outside the stacks)<br>/custom/audit")
                .doesNotContain("plain-environment-value");
        Map<String, String> ids = ids(graph);
        assertThat(graph.edges())
                .extracting(e -> e.from() + " " + e.label() + " " + e.to())
                .contains(
                        ids.get("role orders-fn") + " assumes " + ids.get("function create"),
                        // a role by ARN is the role another stack declares
                        ids.get("role orders-fn") + " assumes " + ids.get("function audit"),
                        // an onFailure ARN is the queue another stack declares
                        ids.get("function create") + " onFailure " + ids.get("queue shared-failures"),
                        ids.get("function create") + " logs " + ids.get("log-group /aws/lambda/create"),
                        ids.get("alias create:live") + " routes to " + ids.get("function create"),
                        ids.get("queue arn:aws:sqs:us-east-1:123456789012:jobs") + " jobs (sqs) "
                                + ids.get("alias create:live"));
        // audit's default log group is not declared: no link to it
        assertThat(mermaid).doesNotContain("/aws/lambda/audit");
        assertThat(StackGraph.of(List.of(orders, shared))).isEqualTo(graph);
    }

    /** A stack whose every name and ARN is {@link #HOSTILE}, and whose onFailure ARN holds a sensitive value. */
    static StackGraph hostileGraph() {
        Sensitive sensitive = Sensitive.of(List.of("hunter2-secret-value"));
        Stack stack = stack(
                HOSTILE,
                sensitive,
                role(HOSTILE),
                function(
                        HOSTILE,
                        new RoleRef.StackRole(HOSTILE),
                        settings(
                                Optional.of("arn:aws:sqs:us-east-1:1:" + HOSTILE),
                                Optional.of("arn:aws:sqs:us-east-1:1:hunter2-secret-value"),
                                List.of(HOSTILE),
                                Optional.of(HOSTILE))),
                sqs(HOSTILE, HOSTILE, HOSTILE, false),
                new Trigger(
                        "rule",
                        HOSTILE,
                        Optional.empty(),
                        Trigger.Type.RULE,
                        "",
                        false,
                        new TreeMap<>(Map.of("schedule", HOSTILE)),
                        Optional.empty()));
        return StackGraph.of(List.of(stack));
    }

    @Test
    void hostileNames_areEscapedInBothFormats_andSensitiveValuesMasked() {
        StackGraph graph = hostileGraph();

        String mermaid = MermaidGraph.render(graph);
        String dot = DotGraph.render(graph);

        // Each line is one statement of the forms the renderer writes, every label quoted and free of what ends it.
        String label = "\"[A-Za-z0-9 .,:/=+()@?!#;-]*(?:<br>[A-Za-z0-9 .,:/=+()@?!#;-]*)?\"";
        Pattern mermaidLine = Pattern.compile("flowchart LR|  end|  subgraph s\\d+\\[" + label + "\\]"
                + "|\\s+n\\d+(?:\\[|\\(|\\(\\[|\\{\\{|\\[\\(|\\[\\[|\\[/|>|\\[\\\\)" + label
                + "(?:\\]|\\)|\\]\\)|\\}\\}|\\)\\]|\\]\\]|/\\]|\\\\\\]):::[a-z_]+"
                + "|  n\\d+ -->\\|" + label + "\\| n\\d+|  classDef [a-z_]+ [a-z0-9:#,-]+(?: [0-9 ]+)?");
        assertThat(mermaid.lines()).allSatisfy(line -> assertThat(line).matches(mermaidLine));
        assertThat(mermaid).doesNotContain("<script", "%%", "`", "javascript:alert(1)\"", "\u202E", "hunter2");
        assertThat(mermaid).contains("(sensitive)", "#60;script#62;", "#34;", "#92;x0A");

        String quoted = "\"(?:[^\"\\\\\\n]|\\\\[\"\\\\n])*\"";
        Pattern dotLine =
                Pattern.compile("digraph lambdaform \\{|\\}|  \\}|  rankdir=LR;|  (?:node|edge) \\[[^\\n]*\\];"
                        + "|  subgraph cluster_s\\d+ \\{|    label=" + quoted + ";"
                        + "|\\s+n\\d+ \\[label=" + quoted
                        + ", shape=[a-z]+, style=\"[a-z,]+\", fillcolor=\"#[0-9a-f]{6}\", color=\"#[0-9a-f]{6}\"\\];"
                        + "|  n\\d+ -> n\\d+ \\[label=" + quoted + "(?:, penwidth=2)?\\];");
        assertThat(dot.lines()).allSatisfy(line -> assertThat(line).matches(dotLine));
        assertThat(dot)
                .doesNotContain("<script", "\u202E", "hunter2")
                .contains("&lt;script&gt;", "\\\"", "\\\\x0A", "&amp;amp;");
    }

    @Test
    void aGraphBeyondItsBound_isAClearError() {
        List<Resource> functions = new ArrayList<>();
        for (int i = 0; i <= StackGraph.MAX_NODES; i++) {
            functions.add(function(
                    "f" + i,
                    new RoleRef.External("arn:aws:iam::1:role/r"),
                    settings(Optional.empty(), Optional.empty(), List.of(), Optional.empty())));
        }
        Stack big = stack("big", Sensitive.NONE, functions.toArray(Resource[]::new));

        assertThatThrownBy(() -> StackGraph.of(List.of(big)))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("more than the 2000 nodes a graph draws");
    }

    @Test
    void theGraphOfChanges_marksWhatChanges_withTheLinksThatTouchIt() {
        Stack stack = stack(
                "orders",
                Sensitive.NONE,
                role("fn"),
                function(
                        "create",
                        new RoleRef.StackRole("fn"),
                        settings(Optional.empty(), Optional.empty(), List.of(), Optional.empty())),
                function(
                        "list",
                        new RoleRef.StackRole("fn"),
                        settings(Optional.empty(), Optional.empty(), List.of(), Optional.empty())),
                new Queue("jobs", 30, 345_600, new TreeMap<>()),
                sqs("jobs", "create", "jobs", true));
        Map<ResourceKey, Operation.Action> changes = Map.of(
                FunctionKind.key("create"), Operation.Action.CREATE,
                TriggerKind.key("jobs"), Operation.Action.CREATE,
                LogGroupKind.key("/aws/lambda/old"), Operation.Action.DELETE,
                AliasKind.key("list:live"), Operation.Action.DELETE);

        String mermaid = MermaidGraph.renderChanges(StackGraph.ofChanges(stack, changes));

        assertThat(mermaid)
                .contains("(\"function<br>create\"):::created")
                .contains("{{\"role<br>fn\"}}:::unchanged")
                .contains("[[\"queue<br>jobs\"]]:::unchanged")
                .contains("[\\\"log-group<br>/aws/lambda/old\"\\]:::deleted")
                .contains("([\"alias<br>list:live\"]):::deleted")
                .contains("==>|\"+ jobs (sqs)\"|")
                .contains("classDef created fill:#d4edda")
                .doesNotContain("function<br>list\"");
    }

    /** Node ids by "kind name". */
    private static Map<String, String> ids(StackGraph graph) {
        Map<String, String> ids = new TreeMap<>();
        graph.clusters().forEach(c -> c.nodes().forEach(n -> ids.put(n.kind() + " " + n.name(), n.id())));
        graph.outside().forEach(n -> ids.put(n.kind() + " " + n.name(), n.id()));
        return ids;
    }
}
