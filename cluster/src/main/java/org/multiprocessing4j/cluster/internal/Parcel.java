package org.multiprocessing4j.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * What crosses the cluster: one sealed {@link Envelope} and nothing else, as a task of Hazelcast's
 * executor that hands it to the {@link MemberService} of the member it reaches and returns that
 * member's answer, another envelope. Hazelcast reads it as a length and bytes (its own
 * {@code IdentifiedDataSerializable}, no Java serialization), so nothing of the sender's is
 * deserialized before the envelope's signature is checked.
 */
public final class Parcel implements Callable<byte[]>, IdentifiedDataSerializable, HazelcastInstanceAware {
    /** "mp4j": Hazelcast's id of the factory that makes parcels. */
    public static final int FACTORY_ID = 0x6d70346a;
    static final int CLASS_ID = 1;
    /** The factory that makes parcels, for Hazelcast's serialization config (members and drivers). */
    public static final DataSerializableFactory FACTORY = id -> id == CLASS_ID ? new Parcel() : null;

    private byte[] envelope;
    private transient HazelcastInstance instance;

    /** For Hazelcast, which reads the envelope in next. */
    public Parcel() {
    }

    public Parcel(byte[] envelope) {
        this.envelope = envelope;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.instance = instance;
    }

    /** On the member: the service's answer; a refusal where no service runs (not one of our members). */
    @Override
    public byte[] call() {
        Object service = instance == null ? null : instance.getUserContext().get(MemberService.CONTEXT_KEY);
        if (service instanceof MemberService s) {
            return s.handle(envelope);
        }
        return Envelope.refusal(null, ClusterWire.ELSE, "this Hazelcast member runs no multiprocessing4j member").seal(null);
    }

    @Override
    public int getFactoryId() {
        return FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return CLASS_ID;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByteArray(envelope);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        envelope = in.readByteArray();
    }
}
