package io.lambdaform.cloud.aws;

import static io.lambdaform.TestFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lambdaform.TestTarget;
import io.lambdaform.kinds.function.Function;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.kinds.function.FunctionSettings;
import io.lambdaform.kinds.function.NewFunction;
import io.lambdaform.kinds.function.RoleRef;
import io.lambdaform.kinds.role.NewRole;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.model.CodeSource;
import io.lambdaform.model.Sensitive;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.plan.LiveReader;
import io.lambdaform.plan.LiveState;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Stack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.lambda.model.FunctionCodeLocation;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;

/**
 * Functions.livePackage on AWS: the package is downloaded from the link GetFunction gives and checked against the
 * function's CodeSha256. moto's links hold nothing, so here GetFunction's answer points at a local server that
 * serves what AWS's link would (or a wrong package, or nothing).
 */
class AwsLivePackageTest {
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, byte[]> served = new TreeMap<>();
    private final List<String> progress = new CopyOnWriteArrayList<>();
    private volatile String location = "/package";
    private TestTarget<AwsCloud> aws;
    private byte[] handMade;

    @BeforeEach
    void setUp() throws IOException {
        URI endpoint = MotoServer.freshEndpoint();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = served.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (body != null) {
                    out.write(body);
                }
            }
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        ExecutionInterceptor link = new ExecutionInterceptor() {
            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                if (context.response() instanceof GetFunctionResponse response) {
                    return response.toBuilder()
                            .code(FunctionCodeLocation.builder()
                                    .repositoryType("S3")
                                    .location(base + location + "?X-Amz-Signature=secret-signature")
                                    .build())
                            .build();
                }
                return context.response();
            }
        };
        aws = AwsTestSupport.cloud(endpoint, Optional.empty(), AwsTestSupport.FAST, progress::add, link);
        RoleState role =
                aws.roles().createRole(new NewRole("app-ex", "/", "", TRUST, 3600, Optional.empty(), new TreeMap<>()));
        handMade = handMadeZip();
        aws.functions()
                .createFunction(new NewFunction(
                        "app",
                        role.arn(),
                        FunctionSettings.of("python3.12", "app.handler"),
                        new DeploymentPackage(handMade, CodePackager.codeSha256(handMade), "unused", 0),
                        new TreeMap<>()));
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    /** Zipped by java.util.zip, as a user's tool would: other bytes than Lambdaform's zip of the same file. */
    private static byte[] handMadeZip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("app.py"));
            zip.write("def handler(e, c):\n    return 'hand-made'\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void livePackage_isDownloadedFromTheLink_andCheckedAgainstCodeSha256() {
        served.put("/package", handMade);

        assertThat(aws.functions().livePackage("app"))
                .hasValueSatisfying(zip -> assertThat(zip).isEqualTo(handMade));
    }

    @Test
    void livePackage_thatIsNotTheOneTheFunctionRuns_orNotThere_isNone_andTheSignedLinkIsNeverShown() {
        served.put("/package", "something else".getBytes(StandardCharsets.UTF_8));

        assertThat(aws.functions().livePackage("app")).isEmpty();
        location = "/gone";
        assertThat(aws.functions().livePackage("app")).isEmpty();
        assertThat(aws.functions().livePackage("no-such-function")).isEmpty();

        assertThat(progress)
                .anySatisfy(p -> assertThat(p).contains("not the package the function runs"))
                .anySatisfy(p -> assertThat(p).contains("HTTP 404"))
                .allSatisfy(p -> assertThat(p).doesNotContain("secret-signature", "/package"));
    }

    @Test
    void liveReader_digestsTheDownloadedPackage_soTheSameFilesInAFolderAreTheSameCode() {
        served.put("/package", handMade);
        Path folder = dir.resolve("src");
        write(folder, "app.py", "def handler(e, c):\n    return 'hand-made'\n");
        CodeSource code = new CodeSource(folder, CodeSource.Kind.FOLDER, List.of());
        Function function = new Function(
                "app",
                code,
                new RoleRef.External("arn:aws:iam::123456789012:role/app-ex"),
                FunctionSettings.of("python3.12", "app.handler"),
                new TreeSet<>(),
                new TreeMap<>());
        Stack stack = new Stack(
                "app", Optional.of("us-east-1"), new TreeMap<>(), List.of(function), List.of(), Sensitive.NONE);

        LiveReader reader = new LiveReader(aws.cloud(), aws.ports(), new CodePackager());

        LiveState adopting = reader.read(stack, Set.of("app"));
        assertThat(adopting.liveSources().get(FunctionKind.key("app")))
                .isEqualTo(CodePackager.digestZip(handMade))
                .isEqualTo(new CodePackager().digest(code));
        // Not owned and not adopted: a conflict, which costs no download (anyone's pull request can name it).
        assertThat(reader.read(stack).liveSources()).doesNotContainKey(FunctionKind.key("app"));
    }
}
