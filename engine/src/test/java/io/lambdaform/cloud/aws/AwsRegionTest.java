package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.TestFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the region comes from: --region or spec.region, AWS_REGION, AWS_DEFAULT_REGION, the profile, in order. */
class AwsRegionTest {
    @TempDir
    Path dir;

    private AwsConfig config(Optional<String> region, Optional<String> profile, Map<String, String> env) {
        return new AwsConfig(
                region,
                profile,
                Optional.empty(),
                Optional.empty(),
                AwsTestSupport.FAST,
                List.of(),
                AwsConfig.Retries.DEFAULT,
                env);
    }

    private String configFile() {
        return TestFiles.write(dir, "config", "[default]\nregion = ap-south-1\n[profile dev]\nregion = eu-north-1\n")
                .toString();
    }

    @Test
    void region_followsTheDocumentedOrder() {
        Map<String, String> all =
                Map.of("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "eu-west-2", "AWS_CONFIG_FILE", configFile());

        assertThat(AwsCloudModule.region(config(Optional.of("us-west-2"), Optional.empty(), all)))
                .isEqualTo("us-west-2");
        assertThat(AwsCloudModule.region(config(Optional.empty(), Optional.empty(), all)))
                .isEqualTo("eu-west-1");
        assertThat(AwsCloudModule.region(config(
                        Optional.empty(),
                        Optional.empty(),
                        Map.of("AWS_DEFAULT_REGION", "eu-west-2", "AWS_CONFIG_FILE", configFile()))))
                .isEqualTo("eu-west-2");
        assertThat(AwsCloudModule.region(
                        config(Optional.empty(), Optional.empty(), Map.of("AWS_CONFIG_FILE", configFile()))))
                .isEqualTo("ap-south-1");
        assertThat(AwsCloudModule.region(
                        config(Optional.empty(), Optional.of("dev"), Map.of("AWS_CONFIG_FILE", configFile()))))
                .isEqualTo("eu-north-1");
        assertThat(AwsCloudModule.region(config(
                        Optional.empty(),
                        Optional.empty(),
                        Map.of("AWS_PROFILE", "dev", "AWS_CONFIG_FILE", configFile()))))
                .isEqualTo("eu-north-1");
    }

    @Test
    void noRegion_isOneUserErrorSayingWhatToSet() {
        String missing = dir.resolve("no-such-config").toString();

        assertThatThrownBy(() -> AwsCloudModule.region(config(
                        Optional.empty(), Optional.empty(), Map.of("AWS_CONFIG_FILE", missing, "AWS_REGION", " "))))
                .isInstanceOf(LambdaformException.class)
                .hasMessage("no AWS region: pass --region, set spec.region in the Stack, set AWS_REGION or"
                        + " AWS_DEFAULT_REGION, or set a region in profile 'default' of " + missing)
                .satisfies(e ->
                        assertThat(((LambdaformException) e).category()).isEqualTo(LambdaformException.Category.USER));
    }

    @Test
    void profileRegion_isReadFromHomeAsTheSdkReadsCredentials_notFromTheAccountsHome() {
        TestFiles.write(dir, "home/.aws/config", "[default]\nregion = sa-east-1\n");

        assertThat(AwsCloudModule.region(config(
                        Optional.empty(),
                        Optional.empty(),
                        Map.of("HOME", dir.resolve("home").toString()))))
                .isEqualTo("sa-east-1");
    }
}
