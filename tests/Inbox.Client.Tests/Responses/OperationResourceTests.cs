using System.Text;
using Inbox.Client.Responses;

namespace Inbox.Client.Tests.Responses;

public sealed class OperationResourceTests
{
    [Fact]
    public void The_envelope_and_the_bare_resource_read_alike()
    {
        const string Resource = """{"id":"op_1","status":"failed","created_at":"2026-12-02T12:00:00.000Z","result":null,"error":{"code":"subscriber_rejected","message":"No."}}""";

        var enveloped = OperationResource.Parse(Encoding.UTF8.GetBytes($$"""{"data":{{Resource}},"meta":{"request_id":"req_1"},"error":null}"""));
        var bare = OperationResource.Parse(Encoding.UTF8.GetBytes(Resource));

        foreach (var resource in new[] { enveloped, bare })
        {
            Assert.Equal("op_1", resource.Id);
            Assert.Equal(InboxOperationStatus.Failed, resource.Status);
            Assert.Equal("subscriber_rejected", resource.ErrorCode);
            Assert.Equal("No.", resource.ErrorMessage);
        }
    }

    [Theory]
    [InlineData("accepted", InboxOperationStatus.Accepted)]
    [InlineData("processing", InboxOperationStatus.Processing)]
    [InlineData("succeeded", InboxOperationStatus.Succeeded)]
    [InlineData("failed", InboxOperationStatus.Failed)]
    [InlineData("queued_somewhere_new", InboxOperationStatus.Processing)]
    public void Each_status_is_read(string wire, InboxOperationStatus status) =>
        Assert.Equal(status, OperationResource.Parse(Encoding.UTF8.GetBytes($$"""{"id":"op_1","status":"{{wire}}"}""")).Status);

    [Fact]
    public void An_error_body_reads_in_either_shape()
    {
        var envelope = ErrorBody.Parse("""{"data":null,"meta":{"request_id":"req_9"},"error":{"code":"idempotency_key_in_use","message":"Busy."}}"""u8);
        var problem = ErrorBody.Parse("""{"type":"about:blank","title":"Conflict","status":409,"detail":"Busy.","code":"idempotency_key_in_use","request_id":"req_9"}"""u8);

        Assert.Equal(envelope, problem);
        Assert.Equal(new ErrorBody("idempotency_key_in_use", "Busy.", "req_9"), envelope);
        Assert.Equal(default, ErrorBody.Parse("<html>"u8));
    }
}
