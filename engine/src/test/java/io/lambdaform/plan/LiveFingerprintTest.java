package io.lambdaform.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdaform.kinds.Kinds;
import io.lambdaform.kinds.function.FunctionKind;
import io.lambdaform.model.Sensitive;
import io.lambdaform.resource.LiveResource;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.PlanBuilder;
import io.lambdaform.resource.Port;
import io.lambdaform.resource.ReadContext;
import io.lambdaform.resource.Resource;
import io.lambdaform.resource.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Saved plans stay valid when a kind is added: the inventory digest of a stack without it does not change. */
class LiveFingerprintTest {
    /** A kind added after plan format 1's first release, as far as fingerprints see one. */
    private static final class LaterKind implements ResourceKind<Resource, LiveResource, Port<LiveResource>> {
        @Override
        public String manifestName() {
            return "Later";
        }

        @Override
        public String label() {
            return "later";
        }

        @Override
        public int rank() {
            return 2;
        }

        @Override
        public Class<Resource> type() {
            return Resource.class;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Class<Port<LiveResource>> port() {
            return (Class<Port<LiveResource>>) (Class<?>) Port.class;
        }

        @Override
        public List<Operation.Type> operationTypes() {
            return List.of();
        }

        @Override
        public Optional<Resource> read(ReadContext document) {
            return Optional.empty();
        }

        @Override
        public Map<String, String> tags(LiveResource live) {
            return Map.of();
        }

        @Override
        public void plan(Resource desired, Optional<LiveResource> live, PlanBuilder plan) {}

        @Override
        public void prune(String name, Optional<LiveResource> live, PlanBuilder plan) {}

        @Override
        public JsonNode fingerprint(Optional<Resource> desired, LiveResource live, Sensitive sensitive) {
            return null;
        }
    }

    private static String inventoryDigest(
            List<ResourceKind<?, ?, ?>> kinds, Map<ResourceKind<?, ?, ?>, SortedSet<String>> names) {
        LiveFingerprint fingerprint = new LiveFingerprint(Sensitive.NONE);
        fingerprint.inventory(kinds, names);
        return fingerprint.digests().get("inventory");
    }

    @Test
    void addingAKind_changesNoInventoryDigestOfAStackWithoutIt_butOneWithItDiffers() {
        List<ResourceKind<?, ?, ?>> withLater = new ArrayList<>(Kinds.ALL);
        LaterKind later = new LaterKind();
        withLater.add(later);
        Map<ResourceKind<?, ?, ?>, SortedSet<String>> orphan = Map.of(FunctionKind.KIND, new TreeSet<>(List.of("old")));

        assertThat(inventoryDigest(withLater, orphan)).isEqualTo(inventoryDigest(Kinds.ALL, orphan));
        assertThat(inventoryDigest(withLater, Map.of())).isEqualTo(inventoryDigest(Kinds.ALL, Map.of()));
        assertThat(inventoryDigest(withLater, Map.of(later, new TreeSet<>(List.of("x")))))
                .isNotEqualTo(inventoryDigest(Kinds.ALL, Map.of()));
    }
}
