"""Exports of the meeting and the applications: the ranked table with the decisions as CSV and
XLSX (openpyxl), and one application as a PDF (reportlab, with the built-in CID font
MSung-Light for Traditional Chinese — no font files)."""

import io
import re
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from aipower.applications.services import format_taipei
from aipower.core.csvcells import safe_cell
from aipower.core.i18n import company_label, join_list

from . import services, workflow


def filename(batch):
    return f"review-{batch.category.call.year}-{batch.category.kind}-batch{batch.number}"


def priority_cell(priority):
    """The start-up priority as the table writes it: 是, 否, or 待人工查核 while the tax data
    and the form leave it open and the operator has not settled it."""
    if priority.to_check:
        return _("待人工查核")
    return _("是") if priority.is_priority else _("否")


def ranking_table(batch):
    """Header and rows of the ranked table, as plain values: the figures as numbers (a
    spreadsheet reads them as such, and a negative normalised score is not mistaken for a
    formula), each reviewer in the same columns on every row (委員1 is the same reviewer
    throughout; blank where they did not score, or stepped aside)."""
    rows = services.ranking(batch)
    reviewers = sorted(
        {s.assignment.reviewer for row in rows for s in row.scores},
        key=lambda user: user.get_username(),
    )
    column = {reviewer.pk: index for index, reviewer in enumerate(reviewers)}
    width = len(reviewers)
    header = [
        _("排名"),
        _("申請編號"),
        _("申請企業"),
        _("統一編號"),
        _("新創優先"),
        *[_("委員%(n)s加權總分") % {"n": n} for n in range(1, width + 1)],
        *[_("委員%(n)s標準化分數") % {"n": n} for n in range(1, width + 1)],
        _("平均"),
        _("差距"),
        _("標準化平均"),
        _("建議級別"),
        _("狀態"),
        _("決議"),
        _("核定級別"),
        _("核發點數"),
        _("決議理由"),
        _("調整理由"),
    ]
    table = []
    for row in rows:
        totals, zs = [""] * width, [""] * width
        for s in row.scores:
            totals[column[s.assignment.reviewer_id]] = s.total
            zs[column[s.assignment.reviewer_id]] = _three_places(s.z)
        decision = row.decision
        table.append(
            [
                "" if row.rank is None else row.rank,
                row.application.number,
                row.application.company.name,
                row.application.company.ubn,
                priority_cell(row.startup_priority),
                *totals,
                *zs,
                "" if row.mean is None else row.mean,
                "" if row.spread is None else row.spread,
                "" if row.normalised is None else _three_places(row.normalised),
                join_list(row.suggested_tiers),
                str(workflow.staff_label(row.application.state)),
                decision.get_outcome_display() if decision else "",
                decision.tier.code if decision and decision.tier else "",
                decision.points if decision else "",
                decision.reasons if decision else "",
                decision.override_reason if decision else "",
            ]
        )
    return [str(h) for h in header], table


def _three_places(value):
    """A normalised score as the page shows it (-0.039, 1.500), as a number."""
    return Decimal(f"{value:.3f}")


def ranking_csv(batch, writer):
    """Write the ranked table to ``writer`` (a csv writer); a text cell that a spreadsheet
    would read as a formula (a reason typed as "-3 分" or "=…") is written as text."""
    header, table = ranking_table(batch)
    writer.writerow(header)
    writer.writerows([safe_cell(v) if isinstance(v, str) else v for v in row] for row in table)


def ranking_xlsx(batch):
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font

    header, table = ranking_table(batch)
    book = Workbook()
    sheet = book.active
    # The batch as the page names it (「115 模型訓練類 第二梯次」; it was "batch2"), within
    # Excel's rules for a sheet's name: at most 31 characters, none of []:*?/\.
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", services.batch_label(batch))[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.data_type == "f":  # openpyxl takes any text starting with "=" as a formula
                cell.data_type = TYPE_STRING
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def submission_line(app, version):
    """When the printed version was sent: a later version (an update, a supplement's answer)
    gives its own time and, beside it, the first submission's."""
    first = format_taipei(app.submitted_at) if app.submitted_at else ""
    if version is not None and version.number > 1:
        return _("本版更新時間：%(at)s　版次：%(version)s　首次送出時間：%(first)s") % {
            "at": format_taipei(version.created_at),
            "version": version.number,
            "first": first,
        }
    return _("送出時間：%(at)s　版次：%(version)s") % {
        "at": first,
        "version": version.number if version else "",
    }


def application_pdf(app, version, sections):
    """The reviewed version of one application as an A4 PDF."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "MSung-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    heading = ParagraphStyle("heading", parent=body, fontSize=13, leading=18, spaceBefore=8)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=22)
    group = ParagraphStyle("group", parent=body, textColor=colors.HexColor("#0b2e4f"))

    class BoldParagraph(Paragraph):
        """MSung-Light has no bold face: the text is filled and also stroked (text render
        mode 2) with a thin line, which draws it bold."""

        def draw(self):
            self.canv.saveState()
            self.canv.setLineWidth(0.3)
            self.canv.setStrokeColor(group.textColor)
            super().draw()
            self.canv.restoreState()

        def beginText(self, x, y):
            text = super().beginText(x, y)
            text.setTextRenderMode(2)
            return text

    # In Chinese, as the call's title it replaced was (``title_zh``).
    with translation.override("zh-hant"):
        zh_title = services.form_title(app)

    def para(text, style=body):
        return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)

    story = [
        para(f"{zh_title} {app.number}", title),
        para(company_label(app.company)),
        para(submission_line(app, version)),
        Spacer(1, 4 * mm),
    ]
    for section in sections:
        story.append(para(section["step"].title, heading))
        data = []
        group_rows = []
        for row in section["rows"]:
            if row.get("heading"):
                # The wizard's fieldset heading (「3. 同意將數據集上架開源平台」…): a bold row
                # across both columns before its answers.
                group_rows.append(len(data))
                heading_text = escape(str(row["heading"])).replace("\n", "<br/>")
                data.append([BoldParagraph(heading_text, group), ""])
            else:
                data.append([para(row["label"]), para(row["value"])])
        if data:
            table = Table(data, colWidths=[55 * mm, 115 * mm])
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.25, "#999999"),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("BACKGROUND", (0, 0), (0, -1), "#f2f2f2"),
                        *(
                            command
                            for index in group_rows
                            for command in (
                                ("SPAN", (0, index), (-1, index)),
                                ("BACKGROUND", (0, index), (-1, index), "#dde6f0"),
                            )
                        ),
                    ]
                )
            )
            story.append(table)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, title=app.number or "", leftMargin=18 * mm, rightMargin=18 * mm
    )
    doc.build(story)
    return out.getvalue()
