-- A pandoc reader of a book in parts (writers/pandoc_parts.py): the input lists the HTML files
-- of the parts, one a line. Each part is read by pandoc's own HTML reader and passed through
-- pandoc's JSON (the reader's result holds on to its parse until it is written out: the whole
-- book read at once took 1.3 GB for a 3 MB TEI); the blocks are joined, the metadata is the
-- first part's (it alone has the head). Each later part opens with a copy of the headings
-- before it, so that the reader gives each heading the identifier it would in one run; that
-- copy is dropped here.
local PRIOR_HEADINGS = "pandoc-prior-headings"

function Reader(input)
  local book
  for path in tostring(input):gmatch("[^\n]+") do
    local file = assert(io.open(path, "rb"))
    local html = file:read("a")
    file:close()
    local part = pandoc.read(pandoc.write(pandoc.read(html, "html"), "json"), "json")
    html = nil
    -- The parse and its JSON are garbage now, but Lua collects by the size of its own heap,
    -- where a parse is a small userdata: collected now, the parse goes before the next part
    -- is read (pandoc's peak on a 3 MB TEI 639 MB -> 570 MB).
    collectgarbage()
    local first = part.blocks[1]
    if book == nil then
      book = part
    else
      if first and first.t == "Div" and first.classes:includes(PRIOR_HEADINGS) then
        part.blocks:remove(1)
      end
      book.blocks:extend(part.blocks)
    end
  end
  return book
end
