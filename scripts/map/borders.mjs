// Modern borders of the region of the edition's map, projected (Mercator) and clipped to the
// frame, as SVG path data with the projection's parameters, so that the edition's map module
// (scripts/tei_edition/placemap.py) places its points with the same projection.
//   usage: node borders.mjs WEST SOUTH EAST NORTH WIDTH HEIGHT > edition/maps/borders.json
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { geoMercator, geoPath } from "d3-geo";
import { feature, mesh } from "topojson-client";

const require = createRequire(import.meta.url);
const atlasFile = require.resolve("world-atlas/countries-10m.json");
const atlasVersion = JSON.parse(readFileSync(require.resolve("world-atlas/package.json"))).version;
const [west, south, east, north, width, height] = process.argv.slice(2).map(Number);
const world = JSON.parse(readFileSync(atlasFile));
const frame = {
  type: "Polygon",
  coordinates: [[[west, south], [west, north], [east, north], [east, south], [west, south]]],  // clockwise: the frame, not its complement
};
const projection = geoMercator().fitSize([width, height], frame).clipExtent([[0, 0], [width, height]]);
const path = geoPath(projection).digits(1);
// A country is drawn when a vertex of its clipped outline lies inside the frame (a bounding box
// test alone lets in countries whose far-flung territories straddle the antimeridian).
const inside = (data) => (data.match(/-?[\d.]+,-?[\d.]+/g) || []).some((pair) => {
  const [x, y] = pair.split(",").map(Number);
  return x > 0 && x < width && y > 0 && y < height;
});
const countries = feature(world, world.objects.countries).features
  .map((country) => ({ name: country.properties.name, path: path(country), feature: country }))
  .filter((country) => country.path && inside(country.path))
  .map(({ name, path: data, feature: country }) => {
    // Where the name goes: the centroid of the part of the country inside the frame.
    return { name, path: data, label: path.centroid(country).map(Math.round) };
  });
const borders = path(mesh(world, world.objects.countries, (a, b) => a !== b));
process.stdout.write(JSON.stringify({
  // The data's source, which the map's caption cites; the package it came through, for the record.
  source: "Natural Earth 1:10m admin-0 countries (public domain)",
  via: `the npm package world-atlas ${atlasVersion}`,
  frame: { west, south, east, north },
  width, height,
  projection: { name: "mercator", scale: projection.scale(), translate: projection.translate() },
  countries,
  borders,
}, null, 1) + "\n");
