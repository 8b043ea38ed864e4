package dev.windlass.proxy.config;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Maglev's table properties, as the paper states them: near-equal shares and minimal disruption. */
class MaglevTableTest {

    private static List<UpstreamEndpoint> endpoints(int n) {
        List<UpstreamEndpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            endpoints.add(new UpstreamEndpoint("10.0.0." + (i + 1), 8080, true, "w", "ns", "v1"));
        }
        return endpoints;
    }

    private static int[] slots(MaglevTable table) {
        int[] hosts = new int[table.size()];
        for (int slot = 0; slot < hosts.length; slot++) {
            hosts[slot] = table.host(slot, 0);
        }
        return hosts;
    }

    @Test
    void everyEndpointOwnsANearEqualShareOfThePrimeSizedTable() {
        MaglevTable table = new MaglevTable(endpoints(5), MaglevTable.DEFAULT_SIZE);
        int[] share = new int[5];
        for (int host : slots(table)) {
            share[host]++;
        }
        // The round-robin fill gives each endpoint floor(M/N) or ceil(M/N) slots.
        for (int count : share) {
            assertThat(count).isBetween(MaglevTable.DEFAULT_SIZE / 5, MaglevTable.DEFAULT_SIZE / 5 + 1);
        }
    }

    @Test
    void removingAnEndpointMovesLittleMoreThanItsOwnSlots() {
        int[] before = slots(new MaglevTable(endpoints(5), 65537));
        // The last endpoint leaves: indexes 0-3 keep their addresses.
        int[] after = slots(new MaglevTable(endpoints(4), 65537));
        int moved = 0;
        for (int slot = 0; slot < before.length; slot++) {
            if (before[slot] != 4 && before[slot] != after[slot]) {
                moved++;
            }
        }
        // Maglev trades a little disruption for balance; the paper measures a few percent of the table.
        assertThat(moved).as("slots of remaining endpoints that changed").isLessThan(65537 / 20);
    }

    @Test
    void aHashPicksItsSlotModuloTheSize() {
        MaglevTable table = new MaglevTable(endpoints(3), 7);
        assertThat(table.position(7 * 3 + 2)).isEqualTo(2);
        assertThat(table.position(-1L)).isEqualTo((int) Long.remainderUnsigned(-1L, 7));
        assertThat(MaglevTable.prime(65537)).isTrue();
        assertThat(MaglevTable.prime(65536)).isFalse();
        assertThat(MaglevTable.prime(1)).isFalse();
    }
}
