package io.lambdaform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lambdaform.cloud.aws.AwsTestSupport;
import io.lambdaform.cloud.aws.MotoServer;
import io.lambdaform.resource.CodeStaging;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Packages over Lambda's 50 MB direct-upload limit on moto: a 120 MB function (random bytes, which no deflate makes
 * smaller) is staged in the stack's code bucket, which the apply creates, under the key of its contents; the next plan
 * is empty; a new package replaces the staged one; destroy takes the bucket with it; and without a code bucket a
 * 60 MB package is refused at plan, saying what to set.
 */
class StagingEndToEndTest {
    private static final String BUCKET = "lf-staging-code";

    /** The random files, written once for the class: 120 of 1 MB. */
    @TempDir
    static Path blobs;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeRandomFiles() throws IOException {
        byte[] noise = new byte[1024 * 1024];
        Random random = new Random(21);
        for (int i = 0; i < 120; i++) {
            random.nextBytes(noise);
            try (OutputStream out = Files.newOutputStream(blobs.resolve(String.format("blob-%03d.bin", i)))) {
                out.write(noise);
            }
        }
    }

    /** A stack of one function with {@code megabytes} of the random files, staged in the code bucket if named. */
    private Path stack(int megabytes, boolean codeBucket) throws IOException {
        Path set = dir.resolve("repo/staging");
        Path code = Files.createDirectories(set.resolve("src/data"));
        for (int i = 0; i < megabytes; i++) {
            String name = String.format("blob-%03d.bin", i);
            Files.createLink(code.resolve(name), blobs.resolve(name));
        }
        Files.writeString(set.resolve("src/app.py"), "def handler(event, context):\n    return {'ok': True}\n");
        Files.writeString(set.resolve("stack.yaml"), """
                kind: Stack
                name: staging
                spec:
                  region: us-east-1
                """ + (codeBucket ? "  codeBucket: " + BUCKET + "\n" : "") + """
                ---
                kind: Role
                name: staging-fn
                spec:
                  managedPolicyArns:
                    - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
                ---
                kind: Function
                name: big
                spec:
                  runtime: python3.12
                  handler: app.handler
                  code: src
                  role: staging-fn
                """);
        Files.createDirectories(dir.resolve("repo/.git"));
        return set;
    }

    private static S3Client s3(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                .build();
    }

    private static List<String> staged(S3Client s3) {
        return s3.listObjectsV2(r -> r.bucket(BUCKET).prefix(CodeStaging.prefix("staging"))).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    private CliRunner.Result run(CliRunner cli, URI endpoint, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--target", "aws", "--endpoint-url", endpoint.toString(), "--region", "us-east-1"));
        return cli.run(all.toArray(String[]::new));
    }

    @Test
    void a120MbFunction_isStagedInTheCodeBucket_underTheKeyOfItsContents_andTheNextPlanIsEmpty() throws IOException {
        URI endpoint = MotoServer.freshEndpoint();
        Path set = stack(120, true);
        CliRunner cli = new CliRunner(dir.resolve("state"));

        CliRunner.Result apply = run(cli, endpoint, "apply", set.toString(), "--auto-approve");

        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(apply.out())
                .contains("+ bucket " + BUCKET)
                .contains("create function (staged in s3://" + BUCKET + "/lambdaform/staging/");
        String codeSha256 = AwsTestSupport.cloud(endpoint)
                .functions()
                .findFunction("big")
                .orElseThrow()
                .codeSha256();
        String key = CodeStaging.key("staging", codeSha256);
        try (S3Client s3 = s3(endpoint)) {
            long size = s3.headObject(r -> r.bucket(BUCKET).key(key)).contentLength();
            assertThat(size).isGreaterThan(120L * 1024 * 1024);
            assertThat(staged(s3)).containsExactly(key);
            assertThat(s3.getBucketTagging(r -> r.bucket(BUCKET)).tagSet())
                    .anyMatch(
                            t -> t.key().equals("lambdaform:stack") && t.value().equals("staging"));

            CliRunner.Result plan = run(cli, endpoint, "plan", set.toString(), "--detailed-exitcode");
            assertThat(plan.exitCode()).as(plan.toString()).isZero();

            Files.writeString(set.resolve("src/app.py"), "def handler(event, context):\n    return {'ok': 2}\n");
            CliRunner.Result update = run(cli, endpoint, "apply", set.toString(), "--auto-approve");
            assertThat(update.exitCode()).as(update.toString()).isZero();
            assertThat(update.out()).contains("update code (staged in", "delete 1 staged package(s)");
            String updated = CodeStaging.key(
                    "staging",
                    AwsTestSupport.cloud(endpoint)
                            .functions()
                            .findFunction("big")
                            .orElseThrow()
                            .codeSha256());
            assertThat(updated).isNotEqualTo(key);
            assertThat(staged(s3)).containsExactly(updated);
            assertThat(run(cli, endpoint, "plan", set.toString(), "--detailed-exitcode")
                            .exitCode())
                    .isZero();
        }

        CliRunner.Result destroy = run(cli, endpoint, "destroy", set.toString(), "--auto-approve");
        assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
        try (S3Client s3 = s3(endpoint)) {
            assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals(BUCKET));
        }
    }

    @Test
    void a60MbPackage_withoutACodeBucket_isRefusedAtPlan_sayingWhatToSet() throws IOException {
        URI endpoint = MotoServer.freshEndpoint();
        Path set = stack(60, false);

        CliRunner.Result plan = run(new CliRunner(dir.resolve("state")), endpoint, "plan", set.toString());

        assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(plan.err())
                .contains("the package of function big is 60.0 MB zipped")
                .contains("Lambda takes at most 50 MB in the request")
                .contains("Set spec.codeBucket in the Stack");
        assertThat(plan.out()).doesNotContain("create function");
    }
}
