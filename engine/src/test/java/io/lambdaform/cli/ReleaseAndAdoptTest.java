package io.lambdaform.cli;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.TestFiles;
import io.lambdaform.TestTarget;
import io.lambdaform.cloud.local.LocalCloud;
import io.lambdaform.cloud.local.LocalCloudConfig;
import io.lambdaform.resource.Stack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving a resource from one stack to another, on the local cloud: {@code --adopt} never takes a resource another
 * stack owns; the owner releases it ({@code spec.release}: its owner tag removed, the resource kept), then the other
 * stack adopts it.
 */
class ReleaseAndAdoptTest {
    private static final String ROLE_ARN = "arn:aws:iam::000000000000:role/app-role";

    @TempDir
    Path dir;

    private CliRunner cli;
    private TestTarget<LocalCloud> target;
    private Path app;
    private Path other;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir.resolve("state"));
        target = TestTarget.local(
                new LocalCloud(new LocalCloudConfig(dir.resolve("state"), "eu-west-1", "python3", "node")));
        app = TestFiles.helloSet(dir.resolve("app"));
        // Another stack that wants the same role for a function of its own.
        other = dir.resolve("other");
        write(other, "stack.yaml", "kind: Stack\nname: other\nspec:\n  region: eu-west-1\n");
        write(other, "role.yaml", read(app.resolve("role.yaml")));
        write(
                other,
                "function.yaml",
                "kind: Function\nname: other-fn\nspec:\n  runtime: python3.12\n  handler: app.handler\n"
                        + "  code: src\n  role: app-role\n");
        write(other, "src/app.py", "def handler(event, context):\n    return 'other'\n");
        assertThat(cli.run("apply", app.toString(), "--auto-approve").exitCode())
                .isZero();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String owner() {
        return target.roles().findRole("app-role").orElseThrow().tags().get(Stack.OWNER_TAG);
    }

    @Test
    void adopt_ofAnotherStacksRole_isRefusedNamingItsOwnerAndTheWayToMoveIt_andChangesNothing() {
        CliRunner.Result plan = cli.run("plan", other.toString(), "--adopt", "app-role");
        CliRunner.Result apply = cli.run("apply", other.toString(), "--adopt", "app-role", "--auto-approve");

        String refusal = "role app-role belongs to stack 'app'; --adopt takes only resources no stack owns. To move it,"
                + " release it from stack 'app' first (spec.release in its Stack manifest, then apply that stack),"
                + " then adopt it here";
        assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(plan.out()).contains("! role app-role", refusal);
        assertThat(apply.exitCode()).as(apply.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(apply.out()).contains(refusal);
        assertThat(apply.err()).contains("Nothing was changed");
        assertThat(owner()).isEqualTo("app");
        assertThat(target.functions().findFunction("other-fn")).isEmpty();
    }

    @Test
    void release_untagsTheRoleAndKeepsIt_thenAnotherStackAdoptsIt() throws IOException {
        // The app stack lets go of its role: no Role document any more, its function names the role by ARN.
        Files.delete(app.resolve("role.yaml"));
        write(
                app,
                "function.yaml",
                read(app.resolve("function.yaml")).replace("role: app-role", "role: \"" + ROLE_ARN + "\""));
        write(
                app,
                "stack.yaml",
                "kind: Stack\nname: app\nspec:\n  region: eu-west-1\n  release:\n    - {kind: Role, name: app-role}\n");

        CliRunner.Result plan = cli.run("plan", app.toString(), "--detailed-exitcode");
        CliRunner.Result apply = cli.run("apply", app.toString(), "--auto-approve");
        CliRunner.Result again = cli.run("plan", app.toString(), "--detailed-exitcode");

        assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCodes.CHANGES);
        assertThat(plan.out())
                .contains("~ role app-role", "release from stack 'app': untag lambdaform:stack (kept, not deleted)")
                .contains("0 to create, 1 to update, 0 to delete")
                .doesNotContain("delete role");
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(target.roles().findRole("app-role")).isPresent();
        assertThat(owner()).isNull();
        assertThat(target.roles().findRole("app-role").orElseThrow().managedPolicyArns())
                .containsExactly("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.OK);

        CliRunner.Result adopt = cli.run("apply", other.toString(), "--adopt", "app-role", "--auto-approve");

        assertThat(adopt.exitCode()).as(adopt.toString()).isZero();
        assertThat(owner()).isEqualTo("other");
        assertThat(target.functions().findFunction("other-fn")).isPresent();
        assertThat(cli.run("plan", app.toString(), "--detailed-exitcode").exitCode())
                .isEqualTo(ExitCodes.OK);
        assertThat(cli.run("plan", other.toString(), "--detailed-exitcode").exitCode())
                .isEqualTo(ExitCodes.OK);
    }

    @Test
    void destroy_ofAStackThatReleasesAFunction_keepsTheFunction_andDeletesTheRest() throws IOException {
        write(
                app,
                "stack.yaml",
                "kind: Stack\nname: app\nspec:\n  region: eu-west-1\n  release:\n    - {kind: Function, name: app}\n");
        Files.delete(app.resolve("function.yaml"));

        CliRunner.Result destroy = cli.run("destroy", app.toString(), "--auto-approve");

        assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
        assertThat(destroy.out()).contains("release from stack 'app'", "delete role");
        assertThat(target.roles().findRole("app-role")).isEmpty();
        assertThat(target.functions().findFunction("app").orElseThrow().tags()).doesNotContainKey(Stack.OWNER_TAG);
    }
}
