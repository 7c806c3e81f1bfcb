"""The report's student x exercise table: a heat map of scores (the band's colour and the number
in each cell), sortable by any column and filterable by name, each cell a link to that student's
feedback page at that exercise."""

from __future__ import annotations

from grader.reports.class_summary import load_problem_of, unreadable_submission
from grader.reports.escape import html as escape
from grader.reports.feedback_html import exercise_anchor, feedback_page
from grader.reports.gradebook import number
from grader.reports.html_page import BANDS, band
from grader.reports.roster import feedback_file
from grader.workbook.catalog import Exercise
from grader.workbook.results import BatchRecord, ExerciseStatus

NOT_ATTEMPTED_KEY = -1  # sorts below every score, so "who did not attempt" gathers at one end

# Sorting is numeric on each cell's data-v (text on the name column), stable (ties keep the
# order they had), and toggles on each press of the header's button; the filter hides rows.
SCRIPT = r"""
(function(){
var table=document.getElementById('heat');if(!table)return;
var body=table.tBodies[0],heads=table.tHead.rows[0].cells;
function key(row,col){var v=row.cells[col].getAttribute('data-v');
 return v===null?row.getAttribute('data-name'):parseFloat(v);}
function sortBy(col){
 var th=heads[col],up=th.getAttribute('aria-sort')!=='ascending';
 for(var i=0;i<heads.length;i++)heads[i].setAttribute('aria-sort','none');
 th.setAttribute('aria-sort',up?'ascending':'descending');
 var rows=Array.prototype.slice.call(body.rows).map(function(r,i){return [key(r,col),i,r];});
 rows.sort(function(a,b){var d=a[0]<b[0]?-1:a[0]>b[0]?1:0;return (up?d:-d)||a[1]-b[1];});
 rows.forEach(function(r){body.appendChild(r[2]);});}
Array.prototype.forEach.call(heads,function(th,col){
 var b=th.querySelector('button');if(b)b.addEventListener('click',function(){sortBy(col);});});
var box=document.getElementById('filter'),shown=document.getElementById('shown');
function filter(){var q=box.value.trim().toLowerCase(),n=0;
 Array.prototype.forEach.call(body.rows,function(r){
  var hit=r.getAttribute('data-name').indexOf(q)>=0;r.hidden=!hit;n+=hit;});
 shown.textContent=n+' of '+body.rows.length+' students shown';}
if(box){box.addEventListener('input',filter);filter();}
})();
"""


def _cell(record: BatchRecord, exercise: Exercise, href: str) -> str:
    mine = record.result.exercises[exercise.id]
    link = f"{href}#{exercise_anchor(exercise)}"
    load = load_problem_of(mine, exercise)
    if mine.status is ExerciseStatus.NOT_ATTEMPTED:
        if unreadable_submission(record) is not None:
            return (
                f'<td class="c load" data-v="0"><a href="{escape(link)}" '
                f'title="submission unreadable">0!</a></td>'
            )
        return (
            f'<td class="c na" data-v="{NOT_ATTEMPTED_KEY}"><a href="{escape(link)}" '
            'title="not attempted">&ndash;</a></td>'
        )
    score = number(mine.score)
    if load is not None:
        return (
            f'<td class="c load" data-v="{score}"><a href="{escape(link)}" '
            f'title="{escape(load[0])}">{score}!</a></td>'
        )
    fraction = mine.score / exercise.points if exercise.points else 1.0
    return (
        f'<td class="c {band(fraction)}" data-v="{score}"><a href="{escape(link)}" '
        f'title="{score} of {exercise.points}">{score}</a></td>'
    )


def legend() -> str:
    swatches = "".join(f'<span class="{name}">{label}</span>' for name, label, _, _ in BANDS)
    return (
        f'<div class="legend small">share of the exercise\'s points: {swatches}'
        '<span class="na">&ndash; not attempted</span>'
        '<span class="load">0! could not be loaded</span></div>'
    )


def heatmap(records: dict[str, BatchRecord], exercises: list[Exercise]) -> str:
    """The table (id "heat"), its filter box and legend; `SCRIPT` makes it sort and filter."""
    max_total = sum(e.points for e in exercises)
    heads = ['<th aria-sort="none"><button type="button">student</button></th>']
    heads += [
        f'<th class="n" aria-sort="none" title="{escape(e.title)}, {e.points} points">'
        f'<button type="button">{e.number:02d}<br><span class="small">{escape(e.id)}</span>'
        "</button></th>"
        for e in exercises
    ]
    heads.append('<th class="n" aria-sort="none"><button type="button">total</button></th>')
    rows = []
    for student, record in records.items():
        href = feedback_page(record)
        cells = "".join(_cell(record, e, href) for e in exercises)
        total = number(record.result.total)
        rows.append(
            f'<tr data-name="{escape(student.lower())}"><td class="name">'
            f'<a href="{escape(href)}">{escape(student)}</a> '
            f'<a class="small muted" href="{escape(feedback_file(record))}">md</a></td>'
            f'{cells}<td class="n" data-v="{total}">{total}</td></tr>'
        )
    return (
        '<div class="tools"><label>Filter by name <input type="search" id="filter" '
        'placeholder="part of a name" autocomplete="off"></label>'
        f'<span id="shown" class="muted small" aria-live="polite"></span></div>{legend()}'
        f'<table id="heat" class="heat"><caption class="small muted" style="text-align:left">'
        f"scores out of each exercise's points (total out of {max_total}); press a column's "
        "name to sort by it, again to reverse; a cell opens the student's feedback there"
        f"</caption><thead><tr>{''.join(heads)}</tr></thead><tbody>{''.join(rows)}</tbody>"
        "</table>"
    )
