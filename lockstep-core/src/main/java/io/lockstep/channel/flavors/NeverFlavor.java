package io.lockstep.channel.flavors;

/** Never delivers and never closes (crossbeam's {@code never}): a select case that never fires. */
public final class NeverFlavor extends TimerFlavor {
    /** The never-ready channel. */
    public NeverFlavor() {}

    @Override
    public boolean startRecv(Token token) {
        return false;
    }

    @Override
    public boolean isReady(boolean send) {
        return false;
    }

    @Override
    public boolean isClosed() {
        return false;
    }

    @Override
    public int size() {
        return 0;
    }
}
