package dev.windlass.proxy.admin;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import java.util.List;

/** Replaces every Any inside a message by an empty Any of the same type URL, so that it can always be printed. */
final class TypedConfigs {
    private TypedConfigs() {
    }

    static Message strip(Message message) {
        if (message instanceof Any any) {
            return Any.newBuilder().setTypeUrl(any.getTypeUrl()).build();
        }
        Message.Builder builder = message.toBuilder();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (field.isRepeated()) {
                List<?> values = (List<?>) message.getField(field);
                builder.clearField(field);
                for (Object value : values) {
                    builder.addRepeatedField(field, strip((Message) value));
                }
            } else if (message.hasField(field)) {
                builder.setField(field, strip((Message) message.getField(field)));
            }
        }
        return builder.build();
    }
}
