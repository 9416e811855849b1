package io.lambdaform.apply;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.LambdaformException;
import io.lambdaform.cloud.CloudProvider.ProgressListener;
import io.lambdaform.model.CodeSource;
import io.lambdaform.packaging.CodePackager;
import io.lambdaform.resource.ApplyContext;
import io.lambdaform.resource.DeploymentPackage;
import io.lambdaform.resource.Operation;
import io.lambdaform.resource.Ports;
import io.lambdaform.resource.ResourceKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Carries out one operation against the target: the operation calls its kind's port, this supplies it. */
public final class OperationRunner implements ApplyContext {
    private final Ports ports;
    private final CodePackager packager;
    private final ProgressListener progress;
    private final Map<String, String> results = new ConcurrentHashMap<>();

    @Inject
    public OperationRunner(Ports ports, CodePackager packager, ProgressListener progress) {
        this.ports = requireNonNull(ports, "ports is null");
        this.packager = requireNonNull(packager, "packager is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    @Override
    public void remember(String key, String value) {
        results.put(key, value);
    }

    @Override
    public Optional<String> recall(String key) {
        return Optional.ofNullable(results.get(key));
    }

    @Override
    public void progress(String message) {
        progress.onProgress(message);
    }

    public void run(Operation operation) {
        operation.apply(this);
    }

    @Override
    public <P> P port(Class<P> port) {
        return ports.get(port);
    }

    @Override
    public DeploymentPackage packageAsPlanned(ResourceKey resource, CodeSource source, String plannedSha256) {
        DeploymentPackage code = packager.pack(source);
        if (!code.codeSha256().equals(plannedSha256)) {
            throw LambdaformException.user("the code of " + resource + " zips to other bytes than when the plan was"
                    + " made (planned CodeSha256 " + plannedSha256 + ", now " + code.codeSha256() + "): its files"
                    + " changed, or the plan was made on a machine that deflates with another library (libdeflate or"
                    + " zlib); plan again here");
        }
        return code;
    }
}
