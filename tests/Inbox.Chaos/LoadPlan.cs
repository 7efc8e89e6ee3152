namespace Inbox.Chaos;

/// <summary>
/// The traffic: every submission once; a share of them twice (a retry after the answer, or after a response
/// the client lost); and hot keys, each sent by many clients at the same moment.
/// </summary>
internal sealed class LoadPlan : List<LoadStep>
{
    public int Submissions { get; private init; }

    public static LoadPlan Create(ChaosOptions options, string run)
    {
        var random = new Random(options.Seed);
        var plan = new LoadPlan { Submissions = options.Submissions };
        for (var i = 0; i < options.Submissions; i++)
        {
            var submission = Submission.Create(i, run);
            var kind = i < options.HotKeys ? StepKind.Hot
                : random.NextDouble() >= options.DuplicateRate ? StepKind.Once
                : random.Next(2) == 0 ? StepKind.RetryAfterAnswer
                : StepKind.RetryAfterLostResponse;
            plan.Add(new LoadStep(submission, kind, options.HotKeyClients));
        }

        // Hot keys are spread through the run rather than all at the start.
        return Shuffle(plan, random);
    }

    private static LoadPlan Shuffle(LoadPlan plan, Random random)
    {
        for (var i = plan.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (plan[i], plan[j]) = (plan[j], plan[i]);
        }

        return plan;
    }
}

internal enum StepKind
{
    Once,
    RetryAfterAnswer,
    RetryAfterLostResponse,
    Hot,
}

internal sealed record LoadStep(Submission Submission, StepKind Kind, int HotClients)
{
    public async Task RunAsync(LoadClient client, DateTime deadline)
    {
        switch (Kind)
        {
            case StepKind.Once:
                await client.SubmitAsync(Submission, loseFirstResponse: false, deadline);
                break;
            case StepKind.RetryAfterAnswer:
                await client.SubmitAsync(Submission, loseFirstResponse: false, deadline);
                await client.SubmitAsync(Submission, loseFirstResponse: false, deadline);
                break;
            case StepKind.RetryAfterLostResponse:
                await client.SubmitAsync(Submission, loseFirstResponse: true, deadline);
                break;
            case StepKind.Hot:
                await Task.WhenAll(Enumerable.Range(0, HotClients).Select(_ => client.SubmitAsync(Submission, loseFirstResponse: false, deadline)));
                break;
        }
    }
}
