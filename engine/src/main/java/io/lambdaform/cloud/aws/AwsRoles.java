package io.lambdaform.cloud.aws;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import io.lambdaform.diff.PolicyDocuments;
import io.lambdaform.kinds.role.NewRole;
import io.lambdaform.kinds.role.RoleState;
import io.lambdaform.kinds.role.Roles;
import io.lambdaform.resource.Stack;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * The {@link Roles} port on IAM. A create that meets "already exists" reads the role and carries on when it is this
 * stack's and as planned ({@link AwsCloud#alreadyExists}); a delete or detach that meets "not found" is done.
 */
public final class AwsRoles implements Roles {
    private final IamClient iam;
    private final AwsCloud cloud;

    @Inject
    public AwsRoles(IamClient iam, AwsCloud cloud) {
        this.iam = requireNonNull(iam, "iam is null");
        this.cloud = requireNonNull(cloud, "cloud is null");
    }

    @Override
    public Optional<RoleState> findRole(String name) {
        Role role;
        try {
            role = iam.getRole(r -> r.roleName(name)).role();
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw AwsCloud.wrap("IAM GetRole " + name, e);
        }
        TreeSet<String> attached = new TreeSet<>();
        AwsErrors.run(
                "IAM ListAttachedRolePolicies " + name,
                () -> iam.listAttachedRolePoliciesPaginator(r -> r.roleName(name))
                        .attachedPolicies()
                        .forEach(p -> attached.add(p.policyArn())));
        TreeMap<String, String> inline = new TreeMap<>();
        List<String> policyNames = new ArrayList<>();
        AwsErrors.run(
                "IAM ListRolePolicies " + name,
                () -> iam.listRolePoliciesPaginator(r -> r.roleName(name))
                        .policyNames()
                        .forEach(policyNames::add));
        for (String policy : policyNames) {
            String document = AwsErrors.call(
                    "IAM GetRolePolicy " + name + "/" + policy,
                    () -> iam.getRolePolicy(r -> r.roleName(name).policyName(policy))
                            .policyDocument());
            inline.put(policy, PolicyDocuments.decode(document));
        }
        TreeMap<String, String> tags = new TreeMap<>();
        role.tags().forEach(t -> tags.put(t.key(), t.value()));
        return Optional.of(new RoleState(
                role.roleName(),
                role.arn(),
                role.path(),
                AwsCloud.nullToEmpty(role.description()),
                PolicyDocuments.decode(role.assumeRolePolicyDocument()),
                attached,
                inline,
                tags,
                role.maxSessionDuration() == null ? 3600 : role.maxSessionDuration(),
                Optional.ofNullable(role.permissionsBoundary()).map(b -> b.permissionsBoundaryArn())));
    }

    /**
     * The tagging API does not cover IAM roles, so ListRoles plus ListRoleTags (several at a time) for each role that
     * a service may assume, is not excepted and is not a service-linked role.
     */
    @Override
    public SortedSet<String> inventory(String stackName, Set<String> exceptRoles) {
        List<Role> candidates = new ArrayList<>();
        AwsErrors.run(
                "IAM ListRoles",
                () -> iam.listRolesPaginator(r -> {}).roles().forEach(role -> {
                    if (!exceptRoles.contains(role.roleName())
                            && !role.path().startsWith("/aws-service-role/")
                            && PolicyDocuments.decode(AwsCloud.nullToEmpty(role.assumeRolePolicyDocument()))
                                    .contains("\"Service\"")) {
                        candidates.add(role);
                    }
                }));
        TreeSet<String> roles = new TreeSet<>();
        AwsCloud.filterInParallel(candidates, role -> {
                    List<Tag> tags = new ArrayList<>();
                    AwsErrors.run(
                            "IAM ListRoleTags " + role.roleName(),
                            () -> iam.listRoleTagsPaginator(r -> r.roleName(role.roleName()))
                                    .tags()
                                    .forEach(tags::add));
                    return tags.stream()
                            .anyMatch(t ->
                                    t.key().equals(Stack.OWNER_TAG) && t.value().equals(stackName));
                })
                .forEach(role -> roles.add(role.roleName()));
        return roles;
    }

    /**
     * Builds the result from CreateRole's response: a new role has no policies yet, so nothing needs reading back.
     * When the role already exists (the response to an earlier attempt was lost, or another run of this stack made
     * it), it is read: this stack's and as planned means done, anything else is a conflict.
     */
    @Override
    public RoleState createRole(NewRole role) {
        String what = "IAM CreateRole " + role.name();
        Role created;
        try {
            created = iam.createRole(r -> {
                        r.roleName(role.name())
                                .path(role.path())
                                .assumeRolePolicyDocument(role.assumeRolePolicy())
                                .maxSessionDuration(role.maxSessionDuration())
                                .tags(iamTags(role.tags()));
                        if (!role.description().isEmpty()) {
                            r.description(role.description());
                        }
                        role.permissionsBoundary().ifPresent(r::permissionsBoundary);
                    })
                    .role();
        } catch (EntityAlreadyExistsException e) {
            return existingRole(what, role, e, cloud.retries().attemptsOfLastCall() > 1);
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
        return RoleState.created(role, created.arn(), PolicyDocuments.decode(role.assumeRolePolicy()));
    }

    private RoleState existingRole(String what, NewRole role, EntityAlreadyExistsException e, boolean retried) {
        RoleState live = findRole(role.name()).orElseThrow(() -> AwsErrors.translate(what, e));
        List<String> differences = new ArrayList<>();
        if (!live.path().equals(role.path())) {
            differences.add("path");
        }
        if (!PolicyDocuments.equivalent(live.assumeRolePolicy(), role.assumeRolePolicy())) {
            differences.add("trust policy");
        }
        if (!live.description().equals(role.description())) {
            differences.add("description");
        }
        if (live.maxSessionDuration() != role.maxSessionDuration()) {
            differences.add("maxSessionDuration");
        }
        if (!live.permissionsBoundary().equals(role.permissionsBoundary())) {
            differences.add("permissions boundary");
        }
        return cloud.alreadyExists(what, "role", role.name(), role.tags(), live.tags(), differences, retried, e, live);
    }

    @Override
    public void updateRole(String name, String description, int maxSessionDuration) {
        AwsErrors.run(
                "IAM UpdateRole " + name,
                () -> iam.updateRole(
                        r -> r.roleName(name).description(description).maxSessionDuration(maxSessionDuration)));
    }

    @Override
    public void updateAssumeRolePolicy(String name, String policyDocument) {
        AwsErrors.run(
                "IAM UpdateAssumeRolePolicy " + name,
                () -> iam.updateAssumeRolePolicy(r -> r.roleName(name).policyDocument(policyDocument)));
    }

    @Override
    public void putPermissionsBoundary(String name, String policyArn) {
        AwsErrors.run(
                "IAM PutRolePermissionsBoundary " + name,
                () -> iam.putRolePermissionsBoundary(r -> r.roleName(name).permissionsBoundary(policyArn)));
    }

    @Override
    public void deletePermissionsBoundary(String name) {
        ignoreNotFound(
                "IAM DeleteRolePermissionsBoundary " + name,
                () -> iam.deleteRolePermissionsBoundary(r -> r.roleName(name)));
    }

    @Override
    public void attachRolePolicy(String roleName, String policyArn) {
        AwsErrors.run(
                "IAM AttachRolePolicy " + roleName + " " + policyArn,
                () -> iam.attachRolePolicy(r -> r.roleName(roleName).policyArn(policyArn)));
    }

    @Override
    public void detachRolePolicy(String roleName, String policyArn) {
        ignoreNotFound(
                "IAM DetachRolePolicy " + roleName + " " + policyArn,
                () -> iam.detachRolePolicy(r -> r.roleName(roleName).policyArn(policyArn)));
    }

    @Override
    public void putRolePolicy(String roleName, String policyName, String policyDocument) {
        AwsErrors.run(
                "IAM PutRolePolicy " + roleName + "/" + policyName,
                () -> iam.putRolePolicy(
                        r -> r.roleName(roleName).policyName(policyName).policyDocument(policyDocument)));
    }

    @Override
    public void deleteRolePolicy(String roleName, String policyName) {
        ignoreNotFound(
                "IAM DeleteRolePolicy " + roleName + "/" + policyName,
                () -> iam.deleteRolePolicy(r -> r.roleName(roleName).policyName(policyName)));
    }

    @Override
    public void tagRole(String name, Map<String, String> tags) {
        AwsErrors.run(
                "IAM TagRole " + name, () -> iam.tagRole(r -> r.roleName(name).tags(iamTags(tags))));
    }

    @Override
    public void untagRole(String name, Collection<String> tagKeys) {
        AwsErrors.run(
                "IAM UntagRole " + name,
                () -> iam.untagRole(r -> r.roleName(name).tagKeys(tagKeys)));
    }

    @Override
    public void deleteRole(String name) {
        ignoreNotFound("IAM DeleteRole " + name, () -> iam.deleteRole(r -> r.roleName(name)));
    }

    /** Runs an IAM delete or detach; "not found" means done (a retry after a lost response meets exactly that). */
    private void ignoreNotFound(String what, Runnable call) {
        try {
            call.run();
        } catch (NoSuchEntityException e) {
            cloud.progress().onProgress(what + ": already gone (" + AwsErrors.message(e) + ")");
        } catch (RuntimeException e) {
            throw AwsCloud.wrap(what, e);
        }
    }

    private static List<Tag> iamTags(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }
}
