package dev.windlass.proxy.config;

import dev.windlass.contract.IstioNames;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;

import java.util.Set;

/**
 * An HttpConnectionManager's upgrade_configs: the proxy forwards HTTP/1.1 WebSocket upgrades (the upgrade type
 * Istio enables everywhere) and nothing else. The type is matched case-insensitively, as Envoy does; an entry
 * with {@code enabled: false} leaves WebSocket off (route-level upgrade configs, which could turn it back on, are
 * refused by {@link RouteTranslator}). Another upgrade type, or upgrade-specific filters, are refused.
 */
final class UpgradeConfigs {
    private static final Set<String> IMPLEMENTED = Set.of("upgrade_type", "enabled");

    private UpgradeConfigs() {
    }

    /** Whether WebSocket upgrades are forwarded on connections of {@code hcm}. */
    static boolean websocket(String where, HttpConnectionManager hcm) throws InvalidConfigException {
        boolean websocket = false;
        for (HttpConnectionManager.UpgradeConfig upgrade : hcm.getUpgradeConfigsList()) {
            ProtoFields.only(upgrade, where, IMPLEMENTED);
            if (!upgrade.getUpgradeType().equalsIgnoreCase(IstioNames.WEBSOCKET_UPGRADE)) {
                throw new InvalidConfigException(where + ": upgrade_type \"" + upgrade.getUpgradeType()
                        + "\" is not supported by Windlass: only " + IstioNames.WEBSOCKET_UPGRADE);
            }
            websocket = !upgrade.hasEnabled() || upgrade.getEnabled().getValue();
        }
        return websocket;
    }
}
