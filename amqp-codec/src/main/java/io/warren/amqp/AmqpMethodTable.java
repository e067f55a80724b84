package io.warren.amqp;

import io.netty.buffer.ByteBuf;

/**
 * The method table: from (class id, method id) to the record that reads the arguments. One
 * {@code switch} on {@code classId << 16 | methodId}, which the JIT turns into a jump table: no
 * map, no reflection on the way in.
 */
final class AmqpMethodTable {
    private AmqpMethodTable() {
    }

    /**
     * Reads a method frame's payload: class id, method id, arguments. The arguments must fill
     * the readable bytes exactly, as RabbitMQ requires.
     *
     * @throws AmqpException {@link ReplyCode#COMMAND_INVALID} for a method we do not know,
     *                       {@link ReplyCode#FRAME_ERROR} for arguments that do not decode
     */
    static AmqpMethod read(ByteBuf in) {
        int classId = in.readUnsignedShort();
        int methodId = in.readUnsignedShort();
        AmqpMethod method;
        try {
            method = readArguments(classId, methodId, in);
        } catch (IndexOutOfBoundsException e) {
            throw cannotDecode(classId, methodId, "arguments truncated");
        } catch (AmqpException e) {
            throw e.classId() == 0 ? cannotDecode(classId, methodId, e.replyText()) : e;
        }
        if (in.isReadable()) {
            throw cannotDecode(classId, methodId,
                    in.readableBytes() + " bytes after the arguments");
        }
        return method;
    }

    private static AmqpException cannotDecode(int classId, int methodId, String why) {
        return new AmqpException(ReplyCode.FRAME_ERROR,
                "cannot decode method (" + classId + ", " + methodId + "): " + why,
                classId, methodId);
    }

    private static AmqpMethod readArguments(int classId, int methodId, ByteBuf in) {
        return switch (classId << 16 | methodId) {
            case 10 << 16 | 10 -> ConnectionMethod.Start.read(in);
            case 10 << 16 | 11 -> ConnectionMethod.StartOk.read(in);
            case 10 << 16 | 20 -> ConnectionMethod.Secure.read(in);
            case 10 << 16 | 21 -> ConnectionMethod.SecureOk.read(in);
            case 10 << 16 | 30 -> ConnectionMethod.Tune.read(in);
            case 10 << 16 | 31 -> ConnectionMethod.TuneOk.read(in);
            case 10 << 16 | 40 -> ConnectionMethod.Open.read(in);
            case 10 << 16 | 41 -> ConnectionMethod.OpenOk.read(in);
            case 10 << 16 | 50 -> ConnectionMethod.Close.read(in);
            case 10 << 16 | 51 -> ConnectionMethod.CloseOk.read(in);
            case 10 << 16 | 60 -> ConnectionMethod.Blocked.read(in);
            case 10 << 16 | 61 -> ConnectionMethod.Unblocked.read(in);
            case 10 << 16 | 70 -> ConnectionMethod.UpdateSecret.read(in);
            case 10 << 16 | 71 -> ConnectionMethod.UpdateSecretOk.read(in);
            case 20 << 16 | 10 -> ChannelMethod.Open.read(in);
            case 20 << 16 | 11 -> ChannelMethod.OpenOk.read(in);
            case 20 << 16 | 20 -> ChannelMethod.Flow.read(in);
            case 20 << 16 | 21 -> ChannelMethod.FlowOk.read(in);
            case 20 << 16 | 40 -> ChannelMethod.Close.read(in);
            case 20 << 16 | 41 -> ChannelMethod.CloseOk.read(in);
            case 30 << 16 | 10 -> AccessMethod.Request.read(in);
            case 30 << 16 | 11 -> AccessMethod.RequestOk.read(in);
            case 40 << 16 | 10 -> ExchangeMethod.Declare.read(in);
            case 40 << 16 | 11 -> ExchangeMethod.DeclareOk.read(in);
            case 40 << 16 | 20 -> ExchangeMethod.Delete.read(in);
            case 40 << 16 | 21 -> ExchangeMethod.DeleteOk.read(in);
            case 40 << 16 | 30 -> ExchangeMethod.Bind.read(in);
            case 40 << 16 | 31 -> ExchangeMethod.BindOk.read(in);
            case 40 << 16 | 40 -> ExchangeMethod.Unbind.read(in);
            case 40 << 16 | 51 -> ExchangeMethod.UnbindOk.read(in);
            case 50 << 16 | 10 -> QueueMethod.Declare.read(in);
            case 50 << 16 | 11 -> QueueMethod.DeclareOk.read(in);
            case 50 << 16 | 20 -> QueueMethod.Bind.read(in);
            case 50 << 16 | 21 -> QueueMethod.BindOk.read(in);
            case 50 << 16 | 30 -> QueueMethod.Purge.read(in);
            case 50 << 16 | 31 -> QueueMethod.PurgeOk.read(in);
            case 50 << 16 | 40 -> QueueMethod.Delete.read(in);
            case 50 << 16 | 41 -> QueueMethod.DeleteOk.read(in);
            case 50 << 16 | 50 -> QueueMethod.Unbind.read(in);
            case 50 << 16 | 51 -> QueueMethod.UnbindOk.read(in);
            case 60 << 16 | 10 -> BasicMethod.Qos.read(in);
            case 60 << 16 | 11 -> BasicMethod.QosOk.read(in);
            case 60 << 16 | 20 -> BasicMethod.Consume.read(in);
            case 60 << 16 | 21 -> BasicMethod.ConsumeOk.read(in);
            case 60 << 16 | 30 -> BasicMethod.Cancel.read(in);
            case 60 << 16 | 31 -> BasicMethod.CancelOk.read(in);
            case 60 << 16 | 40 -> BasicMethod.Publish.read(in);
            case 60 << 16 | 50 -> BasicMethod.Return.read(in);
            case 60 << 16 | 60 -> BasicMethod.Deliver.read(in);
            case 60 << 16 | 70 -> BasicMethod.Get.read(in);
            case 60 << 16 | 71 -> BasicMethod.GetOk.read(in);
            case 60 << 16 | 72 -> BasicMethod.GetEmpty.read(in);
            case 60 << 16 | 80 -> BasicMethod.Ack.read(in);
            case 60 << 16 | 90 -> BasicMethod.Reject.read(in);
            case 60 << 16 | 100 -> BasicMethod.RecoverAsync.read(in);
            case 60 << 16 | 110 -> BasicMethod.Recover.read(in);
            case 60 << 16 | 111 -> BasicMethod.RecoverOk.read(in);
            case 60 << 16 | 120 -> BasicMethod.Nack.read(in);
            case 90 << 16 | 10 -> TxMethod.Select.read(in);
            case 90 << 16 | 11 -> TxMethod.SelectOk.read(in);
            case 90 << 16 | 20 -> TxMethod.Commit.read(in);
            case 90 << 16 | 21 -> TxMethod.CommitOk.read(in);
            case 90 << 16 | 30 -> TxMethod.Rollback.read(in);
            case 90 << 16 | 31 -> TxMethod.RollbackOk.read(in);
            case 85 << 16 | 10 -> ConfirmMethod.Select.read(in);
            case 85 << 16 | 11 -> ConfirmMethod.SelectOk.read(in);
            default -> throw unknownMethod(classId, methodId);
        };
    }

    /**
     * RabbitMQ does not answer an unknown class or method at all: its reader exits on
     * {@code unknown_method_id} and resets the socket (seen with RabbitMQ 3.10). We close
     * properly instead, with {@link ReplyCode#COMMAND_INVALID}, the spec's code for a command
     * the server cannot accept; 540 NOT_IMPLEMENTED is left to the broker for known methods it
     * refuses (as RabbitMQ does for {@code channel.flow} with active=false).
     */
    private static AmqpException unknownMethod(int classId, int methodId) {
        return new AmqpException(ReplyCode.COMMAND_INVALID,
                "unknown method (" + classId + ", " + methodId + ")", classId, methodId);
    }
}
