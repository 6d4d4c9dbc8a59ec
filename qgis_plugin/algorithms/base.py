"""Base class of the geoconflict Processing algorithms.

Subclasses set ``ALG_ID``, ``DISPLAY``, ``GROUP`` (and ``GROUP_ID``) and implement
``initAlgorithm`` and ``processAlgorithm``.  Help text lives in
``resources/help/algorithms.yaml`` under the algorithm id.
"""

from __future__ import annotations

import html
import os
import typing
from functools import lru_cache

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingParameterEnum,
    QgsProcessingParameterNumber,
    QgsProcessingParameters,
    QgsProcessingUtils,
    QgsPropertyDefinition,
)
from qgis.PyQt.QtCore import QCoreApplication, QVariant
from qgis.PyQt.QtGui import QIcon

from .. import _bridge

_RESOURCES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources")


@lru_cache(maxsize=1)
def _help_table():
    path = os.path.join(_RESOURCES, "help", "algorithms.yaml")
    try:
        import yaml  # shipped with QGIS (Processing reads its own help with it)

        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh) or {}
    except Exception:  # pragma: no cover - help is never worth a crash
        return {}


def help_html(alg_id):
    """Return the HTML help of `alg_id` built from ``algorithms.yaml``."""
    entry = _help_table().get(alg_id) or {}
    parts = []
    if entry.get("summary"):
        parts.append(f"<p>{html.escape(entry['summary'].strip())}</p>")
    params = entry.get("parameters") or {}
    if params:
        rows = "".join(
            f"<li><b>{html.escape(k)}</b>: {html.escape(str(v).strip())}</li>"
            for k, v in params.items()
        )
        parts.append(f"<h3>Parameters</h3><ul>{rows}</ul>")
    outputs = entry.get("outputs") or {}
    if outputs:
        rows = "".join(
            f"<li><b>{html.escape(k)}</b>: {html.escape(str(v).strip())}</li>"
            for k, v in outputs.items()
        )
        parts.append(f"<h3>Outputs</h3><ul>{rows}</ul>")
    if entry.get("notes"):
        parts.append(f"<p><i>{html.escape(entry['notes'].strip())}</i></p>")
    parts.append(
        "<p>Distances are geodesic on the project ellipsoid (WGS84 when none is "
        "set); coordinates are converted to longitude/latitude for the "
        "computation whatever the layer CRS.</p>"
        "<p>Output features are numbered anew (their own <i>fid</i> in a "
        "GeoPackage); an input field named fid is kept as <i>source_fid</i>, so "
        "every output feature names the input feature it comes from. A feature "
        "that cannot be written stops the run with an error.</p>"
    )
    return "".join(parts)


def style_path(name):
    """Path of a shipped ``.qml`` style."""
    return os.path.join(_RESOURCES, "styles", name)


class _Styler(QgsProcessingLayerPostProcessorInterface):
    """Styles, names and credits an output layer when QGIS adds it to the project.

    `qml`: a shipped style (or None); `name`: the layer name, saying what it
    holds (e.g. "Range rings 10, 25, 50 km"); `attribution`: the data's credit,
    written into the layer's metadata (rights) and attribution.
    """

    _keep: typing.ClassVar[
        dict
    ] = {}  # QGIS does not own post-processors: keep them alive

    def __init__(self, qml, name=None, attribution=None, label=None):
        super().__init__()
        self.qml = qml
        self.name = name
        self.attribution = attribution
        self.label = label

    def postProcessLayer(self, layer, context, feedback):
        if self.qml:
            msg, ok = layer.loadNamedStyle(self.qml)
            if not ok:
                feedback.reportError(f"could not apply the style {self.qml}: {msg}")
            one_class_per_ring(layer)
        if self.name:
            layer.setName(self.name)
        if self.label:
            from qgis.core import QgsPalLayerSettings, QgsVectorLayerSimpleLabeling

            settings = QgsPalLayerSettings()
            settings.fieldName = self.label
            settings.isExpression = True
            layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
            layer.setLabelsEnabled(True)
        if self.attribution:
            meta = layer.metadata()
            meta.setRights([self.attribution])
            layer.setMetadata(meta)
            layer.setAttribution(self.attribution)
        layer.triggerRepaint()

    @classmethod
    def for_style(cls, style, name=None, attribution=None, label=None):
        key = (style, name, attribution, label)
        if key not in cls._keep:
            cls._keep[key] = cls(style and style_path(style), name, attribution, label)
        return cls._keep[key]


def one_class_per_ring(layer):
    """Give a ring layer's graduated style one class per ring, labelled with its radius.

    The shipped ring styles hold 8 classes, innermost dark red to outermost pale
    yellow: a layer with 3 rings gets their first 3 (no empty classes in the
    legend), one with 12 rings 12 classes spread over the whole ramp (not 8 with a
    shared "8+").  Layers not graduated on ``ring`` are left as they are.
    """
    from qgis.core import (
        QgsGradientColorRamp,
        QgsGradientStop,
        QgsGraduatedSymbolRenderer,
        QgsRendererRange,
    )

    renderer = layer.renderer()
    if (
        renderer is None
        or renderer.type() != "graduatedSymbol"
        or renderer.classAttribute() != "ring"
        or not renderer.ranges()
    ):
        return False
    names = layer.fields().names()
    labels = {}
    for f in layer.getFeatures():
        ring = f["ring"]
        if ring is not None and ring not in labels:
            labels[int(ring)] = str(f["label"]) if "label" in names else f"ring {ring}"
    if not labels:
        return False
    old = renderer.ranges()
    colours = [r.symbol().color() for r in old]
    stops = [QgsGradientStop(i / (len(colours) - 1), c) for i, c in enumerate(colours)][
        1:-1
    ]
    ramp = QgsGradientColorRamp(colours[0], colours[-1], False, stops)
    n = max(labels)
    ranges = []
    for k in range(1, n + 1):
        # up to the shipped number of classes, ring k keeps the shipped colour k;
        # more rings spread over the whole ramp
        sym = old[min(k, len(old)) - 1].symbol().clone()
        if n > len(old):
            sym.setColor(ramp.color((k - 1) / (n - 1)))
        ranges.append(
            QgsRendererRange(k - 0.5, k + 0.5, sym, labels.get(k, f"ring {k}"))
        )
    layer.setRenderer(QgsGraduatedSymbolRenderer("ring", ranges))
    return True


_QTYPES = {"float": QVariant.Double, "int": QVariant.Int, "str": QVariant.String}


class GeoconflictAlgorithm(QgsProcessingAlgorithm):
    """Shared plumbing: names, help, units, ellipsoid, per-feature values."""

    ALG_ID = ""
    DISPLAY = ""
    GROUP = "Distances and measures"
    GROUP_ID = "distances"
    ICON = "geoconflict.svg"

    # -- identity -------------------------------------------------------------
    def name(self):  # noqa: D102
        return self.ALG_ID

    def displayName(self):  # noqa: D102
        return self.tr(self.DISPLAY)

    def group(self):  # noqa: D102
        return self.tr(self.GROUP)

    def groupId(self):  # noqa: D102
        return self.GROUP_ID

    def shortHelpString(self):  # noqa: D102
        return help_html(self.ALG_ID)

    def helpUrl(self):  # noqa: D102
        return "https://github.com/geoconflict/geoconflict/blob/main/docs/qgis.md"

    def icon(self):  # noqa: D102
        return QIcon(os.path.join(_RESOURCES, "icons", self.ICON))

    def createInstance(self):  # noqa: D102
        return type(self)()

    def tr(self, text):  # noqa: D102
        return QCoreApplication.translate("geoconflict", text)

    # -- parameters -----------------------------------------------------------
    def add_units_parameter(self, name="UNITS", default="km", description="Units"):
        """Add the units enum (labels from :data:`geoconflict.units.UNIT_LABELS`)."""
        self.addParameter(
            QgsProcessingParameterEnum(
                name,
                self.tr(description),
                options=_bridge.unit_labels(),
                defaultValue=_bridge.UNIT_CHOICES.index(default),
            )
        )

    def add_dynamic_number(
        self, name, description, default, layer_param="INPUT", minimum=0.0
    ):
        """Add a number that can be data-defined per feature (a field or expression)."""
        param = QgsProcessingParameterNumber(
            name,
            self.tr(description),
            QgsProcessingParameterNumber.Double,
            defaultValue=default,
            minValue=minimum,
        )
        param.setIsDynamic(True)
        param.setDynamicPropertyDefinition(
            QgsPropertyDefinition(
                name,
                self.tr(description),
                QgsPropertyDefinition.DoublePositive
                if minimum >= 0
                else QgsPropertyDefinition.Double,
            )
        )
        param.setDynamicLayerParameterName(layer_param)
        self.addParameter(param)

    def unit_factor(self, parameters, context, name="UNITS"):
        """Meters per unit of the chosen units."""
        return _bridge.unit_factor(self.parameterAsEnum(parameters, name, context))

    def geod(self, context, feedback=None):
        """Return the :class:`pyproj.Geod` of the context's (project's) ellipsoid."""
        geod, acronym = _bridge.ellipsoid_geod(context.ellipsoid())
        if feedback is not None:
            feedback.pushInfo(
                f"Ellipsoid: {acronym} (a={geod.a:.3f} m, b={geod.b:.3f} m)"
            )
        return geod

    def per_feature_values(self, parameters, name, context, features):
        """Return a float ndarray of `name` for each feature (data-defined or constant).

        A null or unreadable value gives NaN; callers decide whether NaN is allowed.
        """
        import numpy as np

        value = self.parameterAsDouble(parameters, name, context)
        if not QgsProcessingParameters.isDynamic(parameters, name):
            return np.full(len(features), value, float)
        prop = parameters[name]

        expctx = self.createExpressionContext(parameters, context)
        if features:
            expctx.setFields(features[0].fields())  # field-based properties need them
        prop.prepare(expctx)
        out = np.empty(len(features))
        for i, feat in enumerate(features):  # reads values only, no maths
            expctx.setFeature(feat)
            val, ok = prop.valueAsDouble(expctx, float("nan"))
            out[i] = val if ok else np.nan
        return out

    # -- outputs --------------------------------------------------------------
    def output_fields(self, source_fields, extra, columns=None):
        """Source fields followed by `extra` ``[(name, "float"|"int"|"str"), ...]``.

        A name repeated within `extra` (``distance_m`` twice when the chosen unit
        is meters) is kept once, and the matching entry of `columns` dropped.
        Returns the fields and the (filtered) `columns`.  Extra fields that clash
        with a source field are renamed as QGIS does (``name_2``).  A source field
        named ``fid`` (a GeoPackage's primary key) becomes ``source_fid``: the
        output's own ``fid`` is its new key (one input feature may give several
        output features), and the input's key is kept as an ordinary field.  No
        output field is ever named ``fid`` (any other one becomes ``fid_2``).
        """
        seen, keep = set(), []
        for i, (name, _kind) in enumerate(extra):
            if name not in seen:
                seen.add(name)
                keep.append(i)
        add = QgsFields()
        for i in keep:
            add.append(QgsField(extra[i][0], _QTYPES[extra[i][1]]))
        fields = QgsProcessingUtils.combineFields(_rename_fid(source_fields), add)
        fields = _rename_fid(fields, "fid")
        if columns is not None:
            columns = [columns[i] for i in keep]
        return fields, columns

    def write_rows(
        self,
        sink,
        fields,
        source_attrs,
        owner,
        columns,
        geoms,
        feedback,
        progress=(70, 100),
        *,
        multi=True,
        n_rows=None,
        keep_null=False,
    ):
        """Write one feature per row: source attributes of `owner`, then `columns`.

        `columns` is a list of ndarrays (one value per row); `geoms` an ndarray of
        lon/lat geometries (rows whose geometry is None are not written,
        and their number is reported).  Returns the number of features written.
        """
        import numpy as np

        if geoms is None:  # a table without geometry
            keep = np.arange(n_rows)
            qgeoms = None
        elif keep_null:
            keep = np.arange(len(geoms))
            qgeoms = _bridge.to_qgs_geometries(geoms, multi=multi)
        else:
            keep = np.flatnonzero(~_is_none(geoms))
            if len(keep) < len(geoms):
                feedback.pushWarning(
                    f"{len(geoms) - len(keep)} output feature(s) had no geometry (a "
                    "null input geometry or value) and were not written."
                )
            qgeoms = _bridge.to_qgs_geometries(geoms[keep], multi=multi)
        cols = [_pylist(np.asarray(c)[keep]) for c in columns]
        owners = np.asarray(owner)[keep].tolist() if owner is not None else None
        lo, hi = progress
        batch = []
        n = len(keep)
        extra = list(zip(*cols)) if cols else [()] * n
        if owners is not None:
            rows = [source_attrs[o] + list(e) for o, e in zip(owners, extra)]
        else:
            rows = [list(e) for e in extra]
        for j in range(n):
            feat = QgsFeature(fields)
            if qgeoms is not None:
                feat.setGeometry(qgeoms[j])
            feat.setAttributes(rows[j])
            batch.append(feat)
            if len(batch) >= 5000:
                sink.add(batch)
                batch = []
                self.check_cancel(feedback)
                feedback.setProgress(lo + (hi - lo) * j / n)
        sink.add(batch)
        feedback.setProgress(hi)
        return n

    def write_same_geometry(
        self, sink, fields, feats, owner, columns, feedback, extra_attrs=None
    ):
        """Write one feature per `owner` row with the geometry of `feats[owner]`.

        Attributes: those of the owner feature, then ``extra_attrs[j]`` (a list
        per row, e.g. a joined feature's attributes), then `columns` (one ndarray
        per added field).  The geometry is copied unchanged (input CRS).
        """
        import numpy as np

        cols = [_pylist(np.asarray(c)) for c in columns]
        batch = []
        for j, i in enumerate(np.asarray(owner).tolist()):
            f = QgsFeature(fields)
            f.setGeometry(feats[i].geometry())
            attrs = feats[i].attributes()
            if extra_attrs is not None:
                attrs += extra_attrs[j]
            attrs += [c[j] for c in cols]
            f.setAttributes(attrs)
            batch.append(f)
            if len(batch) >= 5000:
                sink.add(batch)
                batch = []
                self.check_cancel(feedback)
        sink.add(batch)
        feedback.setProgress(100)

    def input_source(self, parameters, context, name="INPUT"):
        """Feature source `name`; raises :class:`QgsProcessingException` if invalid."""
        source = self.parameterAsSource(parameters, name, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, name))
        return source

    def read_points(self, parameters, name, context, feedback, progress=(0.0, 30.0)):
        """Read point source `name`: ``(source, features, lon, lat)``, degrees WGS84.

        ``lon``/``lat`` are NaN where a feature has no point geometry.
        """
        source = self.input_source(parameters, context, name)
        feats, geoms = _bridge.read_geometries(source, feedback, progress)
        self.check_cancel(feedback)
        lon, lat = _bridge.point_lonlat(geoms, feedback)
        return source, feats, lon, lat

    def output_sink(
        self,
        parameters,
        context,
        fields,
        wkb_type,
        crs=None,
        name="OUTPUT",
        *,
        optional=False,
    ):
        """Create the feature sink `name`, in EPSG:4326 (lon/lat degrees) by default.

        Every sink of the provider is made here, with
        ``QgsFeatureSink.RegeneratePrimaryKey``: an output feature never reuses
        the key (``fid``) of the input feature it comes from, so several outputs
        per input all reach a GeoPackage.  Returns ``(sink, dest)`` where `sink`
        is an :class:`OutputSink` (its :meth:`OutputSink.add` raises when a
        feature is not written).  An `optional` output that was not asked for
        gives ``(None, None)``; any other sink that cannot be created raises
        :class:`QgsProcessingException`.
        """
        sink, dest = self.parameterAsSink(
            parameters,
            name,
            context,
            fields,
            wkb_type,
            _bridge.WGS84_CRS if crs is None else crs,
            QgsFeatureSink.RegeneratePrimaryKey,
        )
        if sink is None:
            if optional:
                return None, None
            raise QgsProcessingException(self.invalidSinkError(parameters, name))
        return OutputSink(self, name, sink, dest), dest

    def apply_style(
        self, context, dest, style, name=None, attribution=None, label=None
    ):
        """Style output `dest` with the shipped `style` when QGIS loads it.

        `name`, if given, names the layer after what it holds; `attribution`
        credits its data (layer metadata and attribution); `label` is a QGIS
        expression its features are labelled with.
        """
        if context.willLoadLayerOnCompletion(dest):
            details = context.layerToLoadOnCompletionDetails(dest)
            if name:
                details.name = name
            details.setPostProcessor(_Styler.for_style(style, name, attribution, label))

    @staticmethod
    def site_name(features):
        """Return the 'name' of the only input feature, for layer names; None otherwise."""
        if len(features) != 1:
            return None
        f = features[0]
        if f.fields().indexOf("name") < 0 or f["name"] in (None, ""):
            return None
        return str(f["name"])

    @staticmethod
    def check_cancel(feedback):
        """Raise if the user cancelled."""
        if feedback is not None and feedback.isCanceled():
            raise QgsProcessingException("Cancelled.")


class OutputSink:
    """One feature output of an algorithm: the only way features are written.

    Wraps the ``QgsFeatureSink`` that :meth:`GeoconflictAlgorithm.output_sink`
    creates; :meth:`add` checks every feature and raises
    :class:`QgsProcessingException` naming the algorithm, the output, the
    feature and the sink's error instead of going on with a partial layer.
    """

    def __init__(self, alg, name, sink, dest):
        self.alg_id = f"geoconflict:{alg.name()}"
        self.name = name
        self.dest = dest
        self.written = 0
        self._sink = sink

    def add(self, features):
        """Add `features` (QgsFeature) one by one; raise at the first one not written."""
        add, flag = self._sink.addFeature, QgsFeatureSink.FastInsert
        for feat in features:
            if not add(feat, flag):
                raise QgsProcessingException(self._failure(feat))
            self.written += 1

    def _failure(self, feat):
        error = self._sink.lastError() or "the sink gave no error message"
        names = feat.fields().names()
        attrs = ", ".join(f"{n}={v!r}" for n, v in zip(names, feat.attributes()))
        if len(attrs) > 300:
            attrs = attrs[:300] + "..."
        return (
            f"{self.alg_id}: output {self.name} ({self.dest}): feature "
            f"{self.written + 1} ({attrs}) could not be written: {error}. "
            f"{self.written} feature(s) were written before it and none after, so "
            "this output is incomplete: write to another file or format, or "
            "report the error with these details."
        )


def _rename_fid(fields, new="source_fid"):
    """Copy of `fields` (or empty) where a field named ``fid`` becomes `new`.

    The comparison ignores case (GeoPackage keys do); `new` gets a ``_2``,
    ``_3``... suffix when a field already has its name.
    """
    out = QgsFields()
    if fields is None:
        return out
    names = {f.name().lower() for f in fields}
    for field in fields:
        field = QgsField(field)
        if field.name().lower() == "fid":
            name, k = new, 1
            while name.lower() in names:
                k += 1
                name = f"{new}_{k}"
            names.add(name.lower())
            field.setName(name)
        out.append(field)
    return out


__all__ = [
    "GeoconflictAlgorithm",
    "OutputSink",
    "QgsProcessing",
    "help_html",
    "style_path",
]


def _is_none(geoms):
    from geoconflict._geom import is_missing

    return is_missing(geoms)


def _pylist(arr):
    """Python values for QGIS attributes: NaN becomes NULL (None)."""
    import numpy as np

    if arr.dtype.kind == "f":
        return [None if v != v else v for v in arr.tolist()]
    if arr.dtype.kind in "iub":
        return arr.astype(np.int64).tolist()
    return [None if v is None else str(v) for v in arr.tolist()]
