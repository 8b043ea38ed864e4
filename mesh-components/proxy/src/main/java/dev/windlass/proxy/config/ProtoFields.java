package dev.windlass.proxy.config;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import java.util.Set;

/** Refuses, by field name, whatever a message sets beyond the fields the proxy implements: nothing is ignored. */
final class ProtoFields {
    private ProtoFields() {
    }

    static void only(Message message, String where, Set<String> implemented) throws InvalidConfigException {
        for (FieldDescriptor field : message.getAllFields().keySet()) {
            if (!implemented.contains(field.getName())) {
                throw new InvalidConfigException(where + ": " + message.getDescriptorForType().getName() + "."
                        + field.getName() + " is not supported by Windlass");
            }
        }
    }
}
