package io.warren.amqp;

import io.netty.buffer.ByteBuf;

/**
 * The {@code tx} class (90): standard transactions.
 */
public sealed interface TxMethod extends AmqpMethod {
    /** The class id of every method in this family. */
    int CLASS_ID = 90;

    @Override
    default int classId() {
        return CLASS_ID;
    }

    /** {@code tx.select} (90, 10). */
    record Select() implements TxMethod {
        @Override public int methodId() { return 10; }
        @Override public String name() { return "tx.select"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static Select read(ByteBuf in) {
            return new Select();
        }
    }

    /** {@code tx.select-ok} (90, 11). */
    record SelectOk() implements TxMethod {
        @Override public int methodId() { return 11; }
        @Override public String name() { return "tx.select-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static SelectOk read(ByteBuf in) {
            return new SelectOk();
        }
    }

    /** {@code tx.commit} (90, 20). */
    record Commit() implements TxMethod {
        @Override public int methodId() { return 20; }
        @Override public String name() { return "tx.commit"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static Commit read(ByteBuf in) {
            return new Commit();
        }
    }

    /** {@code tx.commit-ok} (90, 21). */
    record CommitOk() implements TxMethod {
        @Override public int methodId() { return 21; }
        @Override public String name() { return "tx.commit-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static CommitOk read(ByteBuf in) {
            return new CommitOk();
        }
    }

    /** {@code tx.rollback} (90, 30). */
    record Rollback() implements TxMethod {
        @Override public int methodId() { return 30; }
        @Override public String name() { return "tx.rollback"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static Rollback read(ByteBuf in) {
            return new Rollback();
        }
    }

    /** {@code tx.rollback-ok} (90, 31). */
    record RollbackOk() implements TxMethod {
        @Override public int methodId() { return 31; }
        @Override public String name() { return "tx.rollback-ok"; }

        @Override
        public void writeArguments(ByteBuf out) {
        }

        static RollbackOk read(ByteBuf in) {
            return new RollbackOk();
        }
    }
}
