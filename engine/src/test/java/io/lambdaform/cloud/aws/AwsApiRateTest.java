package io.lambdaform.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import io.lambdaform.TestFiles;
import io.lambdaform.apply.Applier;
import io.lambdaform.apply.ApplyListener;
import io.lambdaform.apply.ApplyResult;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.RoleRef;
import io.lambdaform.kinds.role.Role;
import io.lambdaform.kinds.role.RoleKind;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import io.lambdaform.plan.Plan;
import io.lambdaform.plan.Planning;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.Stack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * On AWS settings (Lambda's quotas, which a custom endpoint does not get unless asked), apply sends control-plane
 * requests no faster than the account's quota of 15 per second, and no slower than 12 per second when there is work
 * for more: measured by an interceptor that timestamps every request as it is sent, on a 200-function create on moto.
 */
class AwsApiRateTest {
    private static final int FUNCTIONS = 200;

    @TempDir
    Path dir;

    /** Timestamps Lambda control-plane requests (all but Invoke, GetFunction and GetPolicy) as they are sent. */
    private static final class RequestClock implements ExecutionInterceptor {
        final ConcurrentLinkedQueue<Long> sent = new ConcurrentLinkedQueue<>();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            if ("Lambda".equals(service)
                    && !Set.of("Invoke", "GetFunction", "GetPolicy").contains(operation)) {
                sent.add(System.nanoTime());
            }
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void applyOfTwoHundredFunctions_staysUnderFifteenControlPlaneRequestsPerSecond_andSustainsTwelve() {
        RequestClock clock = new RequestClock();
        AwsConfig config = new AwsConfig(
                        Optional.of("us-east-1"),
                        Optional.empty(),
                        Optional.of(MotoServer.freshEndpoint()),
                        Optional.empty(),
                        AwsTestSupport.FAST,
                        List.of(clock),
                        AwsTestSupport.FAST_RETRIES,
                        Map.of())
                .withApiRate(AwsConfig.ApiRate.LAMBDA_QUOTAS);
        Injector injector = Guice.createInjector(new AwsCloudModule(config));

        Plan plan = injector.getInstance(Planning.class).plan(stack(), Set.of());
        clock.sent.clear();
        ApplyResult result = injector.getInstance(Applier.class).apply(plan, ApplyListener.NONE, 32);

        assertThat(result.succeeded()).as(result.toString()).isTrue();
        List<Long> sent = new ArrayList<>(clock.sent);
        sent.sort(Long::compare);
        assertThat(sent).hasSizeGreaterThanOrEqualTo(FUNCTIONS);
        int busiestSecond = 0;
        for (int first = 0, last = 0; first < sent.size(); first++) {
            while (last < sent.size() && sent.get(last) - sent.get(first) < 1_000_000_000L) {
                last++;
            }
            busiestSecond = Math.max(busiestSecond, last - first);
        }
        double seconds = (sent.get(sent.size() - 1) - sent.get(0)) / 1e9;
        double sustained = (sent.size() - 1) / seconds;
        System.out.printf(
                "[measure] %d control-plane requests in %.1f s: %.1f/s sustained, at most %d in one second%n",
                sent.size(), seconds, sustained, busiestSecond);
        assertThat(busiestSecond).isLessThanOrEqualTo(15);
        assertThat(sustained).isGreaterThanOrEqualTo(12);
    }

    private Stack stack() {
        TestFiles.write(dir.resolve("src"), "app.py", "def handler(event, context):\n    return event\n");
        Path code = dir.resolve("src");
        List<Resource> resources = new ArrayList<>();
        resources.add(new Role(
                "rate-role",
                "/",
                "",
                RoleKind.trustPolicy(List.of("lambda.amazonaws.com")),
                new TreeSet<>(),
                new TreeMap<>(),
                new TreeMap<>(),
                3600,
                Optional.empty()));
        for (int i = 0; i < FUNCTIONS; i++) {
            resources.add(new Function(
                    "rate-fn-" + i,
                    new CodeSource(code, CodeSource.Kind.FOLDER, List.of()),
                    new RoleRef.StackRole("rate-role"),
                    FunctionSettings.of("python3.12", "app.handler"),
                    new TreeSet<>(),
                    new TreeMap<>()));
        }
        return new Stack("rate", Optional.of("us-east-1"), new TreeMap<>(), resources, List.of(), Sensitive.NONE);
    }
}
