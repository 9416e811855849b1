package io.lambdaform;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import io.lambdaform.resource.Port;
import io.lambdaform.resource.ResourceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The dependency rules of docs/architecture.md, enforced. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.lambdaform");

    @Test
    void model_dependsOnNothingButTheJdk() {
        noClasses()
                .that()
                .resideInAPackage("io.lambdaform.model..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("io.lambdaform.model..", "java..")
                .check(CLASSES);
    }

    @Test
    void onlyTheAwsAdapter_seesTheAwsSdk() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.lambdaform.cloud.aws..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("software.amazon.awssdk..")
                .check(CLASSES);
    }

    @Test
    void onlyTheManifestLayer_seesYaml() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.lambdaform.manifest..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.yaml..")
                .check(CLASSES);
    }

    @Test
    void engineLayers_doNotDependOnTheCli() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.lambdaform.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.lambdaform.cli..")
                .check(CLASSES);
    }

    @Test
    void theEngine_doesNotKnowTheAdapters() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.lambdaform.plan..",
                        "io.lambdaform.apply..",
                        "io.lambdaform.diff..",
                        "io.lambdaform.invoke..",
                        "io.lambdaform.manifest..",
                        "io.lambdaform.packaging..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.lambdaform.cloud.aws..", "io.lambdaform.cloud.local..")
                .check(CLASSES);
    }

    /**
     * The planner is the generic {@code Planner} with its fingerprint, and every kind's diff ({@link ResourceKind}
     * implementations: reader, diff and prune of one kind). None of them may reach a target, the packager or the
     * file system: all reads happen before planning, in LiveReader, and the kinds' readers ask the manifest layer for
     * files ({@code ReadContext}).
     */
    @Test
    void thePlanner_isAFunctionOfRecords_withNoProviderPackagerOrIo() {
        DescribedPredicate<JavaClass> planner = DescribedPredicate.describe(
                "the planner (Planner, LiveFingerprint, every ResourceKind)",
                c -> c.getFullName().equals("io.lambdaform.plan.Planner")
                        || c.getFullName().startsWith("io.lambdaform.plan.Planner$")
                        || c.getFullName().equals("io.lambdaform.plan.LiveFingerprint")
                        || c.isAssignableTo(ResourceKind.class));
        assertThat(CLASSES.stream().filter(planner).map(JavaClass::getSimpleName))
                .contains("Planner", "LiveFingerprint", "RoleKind", "FunctionKind");
        noClasses()
                .that(planner)
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.lambdaform.cloud.CloudProvider")
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.lambdaform.packaging..",
                        "io.lambdaform.cloud.aws..",
                        "io.lambdaform.cloud.local..",
                        "io.lambdaform.manifest..",
                        "java.io..",
                        "java.nio.channels..",
                        "java.net..",
                        "java.util.concurrent..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.nio.file.Files")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.nio.file.FileSystems")
                .orShould()
                .callMethodWhere(DescribedPredicate.describe(
                        "a method of a kind's port",
                        call -> call.getTargetOwner().isAssignableTo(Port.class)))
                .because("all reads happen before planning, in LiveReader (docs/architecture.md, Planning)")
                .check(CLASSES);
    }

    /** The dependency table of docs/architecture.md, enforced as written: each layer only uses what its row allows. */
    @Test
    void layers_dependOnlyOnWhatTheArchitectureTableAllows() throws IOException {
        Map<String, List<String>> table = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\| `([a-z.*]+)`[^|]*\\|.*\\| ([^|]+) \\|$");
        for (String line : Files.readAllLines(Path.of("../docs/architecture.md"))) {
            Matcher m = row.matcher(line);
            if (m.matches()) {
                List<String> allowed = new ArrayList<>();
                Matcher names = Pattern.compile("`([a-z.*]+)`").matcher(m.group(2));
                while (names.find()) {
                    allowed.add(names.group(1));
                }
                table.put(m.group(1), m.group(2).strip().equals("everything") ? null : allowed);
            }
        }
        assertThat(table)
                .containsKeys(
                        "io.lambdaform", "model", "resource", "kinds", "kinds.*", "manifest", "plan", "apply", "cli");

        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : table.keySet()) {
            // A layer whose subpackages are layers of their own (cloud, kinds) is that package alone.
            String pkg = layer.equals("io.lambdaform")
                    ? "io.lambdaform"
                    : layer.equals("cloud") || layer.equals("kinds")
                            ? "io.lambdaform." + layer
                            : "io.lambdaform." + layer + "..";
            layers = layers.layer(layer).definedBy(pkg);
        }
        for (Map.Entry<String, List<String>> entry : table.entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            List<String> allowed = new ArrayList<>(entry.getValue());
            if (!entry.getKey().equals("io.lambdaform") && !entry.getKey().equals("model")) {
                allowed.add("io.lambdaform");
            }
            layers = allowed.isEmpty()
                    ? layers.whereLayer(entry.getKey()).mayNotAccessAnyLayer()
                    : layers.whereLayer(entry.getKey()).mayOnlyAccessLayers(allowed.toArray(String[]::new));
        }
        layers.check(CLASSES);
    }
}
