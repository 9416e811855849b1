package io.lambdaform.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lambdaform.LambdaformException;
import io.lambdaform.kinds.layer.Layer;
import io.lambdaform.kinds.layer.Layers;
import io.lambdaform.model.CodeSource;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Stack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link Layers} port's contract, on the local cloud and on moto. */
class LayersContractTest {
    @TempDir
    Path work;

    static List<String> targets() {
        return ContractTargets.names().toList();
    }

    private Layers layers(String target) {
        return ContractTargets.empty(target, work, "us-east-1", CloudProvider.ProgressListener.NONE)
                .ports()
                .get(Layers.class);
    }

    private DeploymentPackage zip(String content) throws IOException {
        Path folder = Files.createDirectories(work.resolve("code-" + content).resolve("python"));
        Files.writeString(folder.resolve("helper.py"), "VALUE = '" + content + "'\n");
        return new CodePackager().pack(new CodeSource(folder.getParent(), CodeSource.Kind.FOLDER, List.of()));
    }

    private Layers.Version publish(Layers layers, String name, String stack, String content) throws IOException {
        DeploymentPackage code = zip(content);
        return layers.publishLayerVersion(new Layers.NewVersion(
                name,
                code,
                List.of("python3.12"),
                List.of("x86_64"),
                Layers.Version.description(stack, code.sourceSha256(), "shared helpers"),
                Optional.of("MIT")));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void publishedVersions_areNumbered_found_andRecordTheirOwnerAndContents(String target) throws IOException {
        Layers layers = layers(target);
        assertThat(layers.find("helpers")).isEmpty();

        Layers.Version first = publish(layers, "helpers", "s1", "a");
        Layers.Version second = publish(layers, "helpers", "s1", "b");

        assertThat(first.number()).isEqualTo(1);
        assertThat(second.number()).isEqualTo(2);
        assertThat(second.arn()).matches("arn:aws:lambda:us-east-1:\\d{12}:layer:helpers:2");
        Layers.State found = layers.find("helpers").orElseThrow();
        assertThat(found.arn()).isEqualTo(second.arn().substring(0, second.arn().lastIndexOf(':')));
        assertThat(found.versions()).extracting(Layers.Version::number).containsExactly(1L, 2L);
        Layers.Version latest = found.latest().orElseThrow();
        assertThat(latest.owner()).contains("s1");
        assertThat(latest.sourceSha256()).contains(zip("b").sourceSha256());
        assertThat(latest.shownDescription()).isEqualTo("shared helpers");
        assertThat(latest.compatibleRuntimes()).containsExactly("python3.12");
        assertThat(latest.compatibleArchitectures()).containsExactly("x86_64");
        assertThat(latest.licenseInfo()).isEqualTo("MIT");
        assertThat(found.tags()).containsEntry(Stack.OWNER_TAG, "s1");
        assertThat(layers.find("helpers:1").orElseThrow().versions())
                .extracting(Layers.Version::number)
                .containsExactly(1L);
        assertThat(layers.find("helpers:7")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void aVersionArn_isFound_untilItIsDeleted_andDeletingItAgainSucceeds(String target) throws IOException {
        Layers layers = layers(target);
        Layers.Version first = publish(layers, "helpers", "s1", "a");
        publish(layers, "helpers", "s1", "b");

        assertThat(layers.findVersion(first.arn())).map(Layers.Version::number).contains(1L);
        assertThat(layers.findVersion(first.arn().replace("helpers:1", "helpers:9")))
                .isEmpty();
        assertThat(layers.findVersion(first.arn().replace("helpers:1", "nothing:1")))
                .isEmpty();

        layers.deleteLayerVersion("helpers", 1);
        layers.deleteLayerVersion("helpers", 1);

        assertThat(layers.findVersion(first.arn())).isEmpty();
        assertThat(layers.find("helpers").orElseThrow().versions())
                .extracting(Layers.Version::number)
                .containsExactly(2L);
    }

    @ParameterizedTest
    @MethodSource("targets")
    void numbers_areNeverReused_evenOnceEveryVersionIsDeleted(String target) throws IOException {
        Layers layers = layers(target);
        publish(layers, "helpers", "s1", "a");
        layers.deleteLayerVersion("helpers", 1);
        assertThat(layers.find("helpers")).isEmpty();

        assertThat(publish(layers, "helpers", "s1", "b").number()).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("targets")
    void inventory_listsTheVersionsTheStackPublished_ofItsLayersAndTheDeclaredOnes(String target) throws IOException {
        Layers layers = layers(target);
        publish(layers, "mine", "s1", "a");
        publish(layers, "mine", "s1", "b");
        publish(layers, "theirs", "s2", "c");
        // Taken over by another stack's newest version: only declared, its older version of s1 is listed.
        publish(layers, "moved", "s1", "d");
        publish(layers, "moved", "s2", "e");

        assertThat(layers.inventory("s1", Set.of())).containsExactly("mine:1", "mine:2");
        assertThat(layers.inventory("s1", Set.of("moved"))).containsExactly("mine:1", "mine:2", "moved:1");
        assertThat(layers.inventory("s2", Set.of())).containsExactly("moved:2", "theirs:1");
    }

    @ParameterizedTest
    @MethodSource("targets")
    void releasingALayer_isRefused_forItsOwnerCannotBeRewritten(String target) throws IOException {
        Layers layers = layers(target);
        publish(layers, "helpers", "s1", "a");

        assertThatThrownBy(() -> layers.untag("helpers", List.of(Stack.OWNER_TAG)))
                .isInstanceOf(LambdaformException.class)
                .hasMessageContaining("layer helpers cannot be released");
        assertThat(Layer.versionName("helpers", 3)).isEqualTo("helpers:3");
    }
}
