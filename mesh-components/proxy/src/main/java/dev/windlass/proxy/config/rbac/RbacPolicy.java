package dev.windlass.proxy.config.rbac;

/** One named policy: it matches when one of its permissions and one of its principals match. */
public record RbacPolicy(String name, RbacMatcher permission, RbacMatcher principal) {

    public boolean matches(RbacInput input) {
        return permission.matches(input) && principal.matches(input);
    }
}
