package dev.vnet.train;

import java.io.IOException;
import java.util.List;

/** Several listeners as one: each callback goes to every listener, in order. */
final class TrainingListeners implements TrainingListener {
    private final List<TrainingListener> all;

    TrainingListeners(List<TrainingListener> all) {
        this.all = List.copyOf(all);
    }

    @Override
    public void runStarted(RunStart start) throws IOException {
        for (TrainingListener l : all) {
            l.runStarted(start);
        }
    }

    @Override
    public void epochStarted(int epoch, int images) {
        all.forEach(l -> l.epochStarted(epoch, images));
    }

    @Override
    public void stepEnded(int epoch, long step, double loss, int images) {
        all.forEach(l -> l.stepEnded(epoch, step, loss, images));
    }

    @Override
    public void trainingPassEnded(int epoch) {
        all.forEach(l -> l.trainingPassEnded(epoch));
    }

    @Override
    public void epochEnded(EpochRecord record, List<EpochRecord> history, boolean best) throws IOException {
        for (TrainingListener l : all) {
            l.epochEnded(record, history, best);
        }
    }

    @Override
    public void epochTimed(EpochTiming timing) {
        all.forEach(l -> l.epochTimed(timing));
    }

    @Override
    public void runStopped(int lastEpoch) {
        all.forEach(l -> l.runStopped(lastEpoch));
    }

    @Override
    public void runEnded(FinalEvaluation evaluation) throws IOException {
        for (TrainingListener l : all) {
            l.runEnded(evaluation);
        }
    }

    @Override
    public void close() {
        all.forEach(TrainingListener::close);
    }
}
