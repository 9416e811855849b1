package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.lambdaform.TestFiles;
import io.lambdaform.cloud.aws.AwsTestSupport;
import io.lambdaform.cloud.aws.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The region through the CLI: read from the environment the CLI is given, and one line when there is none. */
class AwsRegionCliTest {
    @TempDir
    Path dir;

    private Path manifests;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void setUp() {
        AwsTestSupport.init();
        // A stack without spec.region, and no shared config file to find one in.
        manifests = TestFiles.write(
                        dir,
                        "m/stack.yaml",
                        "kind: Stack\nname: noregion\n---\nkind: Role\n" + "name: noregion-ex\nspec: {}\n")
                .getParent();
        env.put("AWS_CONFIG_FILE", dir.resolve("no-such-config").toString());
    }

    private CliRunner.Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, out, err, InputStream.nullInputStream(), env, false);
        return new CliRunner.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noRegion_isOneLineSayingWhatToSet_withoutAStackTrace() {
        CliRunner.Result plan = run(
                "plan",
                manifests.toString(),
                "--target",
                "aws",
                "--endpoint-url",
                "http://127.0.0.1:9",
                "--state-dir",
                dir.resolve("state").toString());

        assertThat(plan.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(plan.err().lines().toList())
                .as(plan.toString())
                .containsExactly("error: no AWS region: pass"
                        + " --region, set spec.region in the Stack, set AWS_REGION or AWS_DEFAULT_REGION, or set a region in"
                        + " profile 'default' of " + dir.resolve("no-such-config"));
    }

    @Test
    void awsDefaultRegion_isUsed() {
        var moto = MotoServer.shared();
        assumeThat(moto).as(MotoServer.whyUnavailable()).isPresent();
        moto.get().reset();
        env.put("AWS_DEFAULT_REGION", "eu-west-3");

        CliRunner.Result plan = run(List.of(
                        "plan",
                        manifests.toString(),
                        "--target",
                        "aws",
                        "--endpoint-url",
                        moto.get().endpoint().toString(),
                        "--state-dir",
                        dir.resolve("state").toString())
                .toArray(String[]::new));

        assertThat(plan.exitCode()).as(plan.toString()).isIn(ExitCodes.OK, ExitCodes.CHANGES);
        assertThat(plan.out()).contains("region eu-west-3");
    }
}
