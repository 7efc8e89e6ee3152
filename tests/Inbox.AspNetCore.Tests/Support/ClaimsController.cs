using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Inbox.AspNetCore.Tests.Support;

/// <summary>A controller opted in with the attribute instead of the endpoint convention.</summary>
[ApiController]
[Route("mvc/claims")]
public sealed class ClaimsController : ControllerBase
{
    [HttpPost]
    [Idempotent("uuid")]
    public IResult Submit(ClaimRequest request) =>
        string.IsNullOrEmpty(request.PatientId)
            ? Results.BadRequest()
            : InboxResults.Accept(new SubmitClaim(request.PatientId, request.AmountCents));
}
