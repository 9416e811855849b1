package io.lambdaform.kinds.function;

import static java.util.Objects.requireNonNull;

import io.lambdaform.resource.CodeStaging;
import io.lambdaform.resource.DeploymentPackage;
import java.util.Optional;

/** What a function runs, as CreateFunction and UpdateFunctionCode take it (Lambda's PackageType). */
public sealed interface FunctionPackage permits FunctionPackage.Zip, FunctionPackage.Image {
    /**
     * A zip package: in the request, or, over Lambda's direct-upload limit, staged in the stack's code bucket first.
     *
     * @param staging where the package is staged; empty when it goes in the request
     */
    record Zip(DeploymentPackage pkg, Optional<CodeStaging> staging) implements FunctionPackage {
        public Zip {
            requireNonNull(pkg, "pkg is null");
            requireNonNull(staging, "staging is null");
        }
    }

    /** A container image in Amazon ECR (PackageType Image), by its URI. */
    record Image(String uri) implements FunctionPackage {
        public Image {
            requireNonNull(uri, "uri is null");
        }
    }

    /** A package that goes in the request. */
    static FunctionPackage zip(DeploymentPackage pkg) {
        return new Zip(pkg, Optional.empty());
    }
}
