package io.lambdaform;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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

    @Test
    void thePlanner_isAFunctionOfRecords_withNoProviderPackagerOrIo() {
        noClasses()
                .that()
                .haveFullyQualifiedName("io.lambdaform.plan.Planner")
                .or()
                .haveFullyQualifiedName("io.lambdaform.plan.LiveFingerprint")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.lambdaform.cloud.CloudProvider")
                .orShould()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.lambdaform.packaging..",
                        "io.lambdaform.cloud.aws..",
                        "io.lambdaform.cloud.local..",
                        "java.io..",
                        "java.nio.file..",
                        "java.nio.channels..",
                        "java.net..",
                        "java.util.concurrent..")
                .because("all reads happen before planning, in LiveReader (docs/architecture.md, Planning)")
                .check(CLASSES);
    }
}
