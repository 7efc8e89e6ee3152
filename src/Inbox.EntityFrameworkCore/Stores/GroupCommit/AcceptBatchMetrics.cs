using System.Diagnostics.Metrics;
using Inbox.Diagnostics;

namespace Inbox.EntityFrameworkCore.Stores.GroupCommit;

internal sealed class AcceptBatchMetrics
{
    private readonly Histogram<int> _batchSize;

    public AcceptBatchMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(InboxDiagnostics.Name);
        _batchSize = meter.CreateHistogram<int>(
            InboxDiagnostics.AcceptBatchSize, "{operation}", "Acceptances sent to the database in one group-commit batch.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000] });
    }

    public void BatchSent(int size) => _batchSize.Record(size);
}
