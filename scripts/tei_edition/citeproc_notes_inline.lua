-- Run after --citeproc: a note style (Chicago) puts each formatted citation into a footnote;
-- the edition wants the formatted note itself, in place, so that each citation's <div> holds it.
function Note(note)
  return pandoc.utils.blocks_to_inlines(note.content)
end
