using Ledger.Domain.Common;
using Ledger.Domain.Documents;
using Marten.Events.Projections;

namespace Ledger.Projections.Documents;

/// <summary>An issued document as lists and downloads find it (by id or by number): what the event froze.</summary>
public sealed class IssuedDocumentView
{
    public Guid Id { get; set; }
    public string Number { get; set; } = "";
    public DocumentIssued Issued { get; set; } = null!;
    public string KindLabel => Codes.LabelOf(Issued.Kind);
}

/// <summary>One view per <see cref="DocumentIssued"/>, from the register streams.</summary>
public partial class IssuedDocumentProjection : MultiStreamProjection<IssuedDocumentView, Guid>
{
    public IssuedDocumentProjection()
    {
        Identity<DocumentIssued>(e => e.DocumentId);
    }

    public IssuedDocumentView Create(DocumentIssued e) => new() { Id = e.DocumentId, Number = e.Number, Issued = e };
}
