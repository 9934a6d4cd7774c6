/* The CRF tagger's array work in C: optional, for speed only (khabar.extract.fast_crf).
 *
 * `fast_crf.CachedCrf` and `ner.FeatureExtractor.document_emissions` do the same work in
 * numpy; this module is used in their place when it was built (`pip install -e .` builds it
 * where a C compiler is found; `KHABAR_PURE_PYTHON=1` turns it off). Every function gives
 * the same floats as the numpy path: each token's rows are added in the same order, one
 * double addition at a time, and ties in the Viterbi steps go to the first label, as numpy's
 * argmax does (tests/test_crf_kernel.py runs both paths and compares).
 *
 * No numpy headers: arrays come in through the buffer protocol.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

/* ------------------------------------------------------------------ buffers */

static int
is_intp_format(const Py_buffer *view)
{
    const char *f = view->format ? view->format : "B";
    if (*f == '@' || *f == '=' || *f == '<') {
        f++;
    }
    return view->itemsize == (Py_ssize_t)sizeof(Py_ssize_t)
        && (strcmp(f, "l") == 0 || strcmp(f, "q") == 0 || strcmp(f, "n") == 0);
}

static int
is_double_format(const Py_buffer *view)
{
    const char *f = view->format ? view->format : "B";
    if (*f == '@' || *f == '=' || *f == '<') {
        f++;
    }
    return view->itemsize == (Py_ssize_t)sizeof(double) && strcmp(f, "d") == 0;
}

/* A C-contiguous 2-d buffer of doubles (kind 'd') or of intp (kind 'n'). */
static int
get_matrix(PyObject *obj, Py_buffer *view, int writable, char kind, const char *name)
{
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) {
        return -1;
    }
    if (view->ndim != 2 || (kind == 'd' ? !is_double_format(view) : !is_intp_format(view))) {
        PyErr_Format(PyExc_TypeError, "%s: a C-contiguous 2-d array of %s expected", name,
                     kind == 'd' ? "float64" : "intp");
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* Row ids, checked against the table. */
static int
as_row(PyObject *item, Py_ssize_t rows, Py_ssize_t *out)
{
    Py_ssize_t v = PyNumber_AsSsize_t(item, PyExc_OverflowError);
    if (v == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (v < 0 || v >= rows) {
        PyErr_Format(PyExc_IndexError, "row %zd out of the table's %zd rows", v, rows);
        return -1;
    }
    *out = v;
    return 0;
}

static inline void
add_row(double *dst, const double *src, Py_ssize_t n)
{
    for (Py_ssize_t k = 0; k < n; k++) {
        dst[k] += src[k];
    }
}

/* ``out[positions[k]] += table[rows[k]]`` as numpy's ``total[positions] += table[rows]``
 * does it: every position reads its value before the step, and where a position comes
 * twice the last one is written (walked backwards, the first seen wins). */
static int
sparse_step(double *out, Py_ssize_t tokens, const double *table, Py_ssize_t rows,
            Py_ssize_t labels, PyObject *positions, PyObject *row_ids, Py_ssize_t *stamp,
            Py_ssize_t step)
{
    PyObject *pos = PySequence_Fast(positions, "positions: a sequence expected");
    if (pos == NULL) {
        return -1;
    }
    PyObject *ids = PySequence_Fast(row_ids, "rows: a sequence expected");
    if (ids == NULL) {
        Py_DECREF(pos);
        return -1;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(pos);
    if (PySequence_Fast_GET_SIZE(ids) != n) {
        PyErr_SetString(PyExc_ValueError, "positions and rows differ in length");
        goto fail;
    }
    for (Py_ssize_t k = n - 1; k >= 0; k--) {
        Py_ssize_t at, row;
        if (as_row(PySequence_Fast_GET_ITEM(pos, k), tokens, &at) < 0
                || as_row(PySequence_Fast_GET_ITEM(ids, k), rows, &row) < 0) {
            goto fail;
        }
        if (stamp[at] == step) {
            continue;
        }
        stamp[at] = step;
        add_row(out + at * labels, table + row * labels, labels);
    }
    Py_DECREF(pos);
    Py_DECREF(ids);
    return 0;
fail:
    Py_DECREF(pos);
    Py_DECREF(ids);
    return -1;
}

/* ------------------------------------------------------------------ document_rows */

PyDoc_STRVAR(document_rows_doc,
"document_rows(table, out, word_rows, lengths, zero, bos, eos, keys, bigrams, classes,\n"
"              class_ids, other, second_grid, first_grid, infos, trigger_rows,\n"
"              trigger_classes, extra)\n"
"--\n\n"
"Fill `out` (tokens x labels) with the emission scores `document_emissions` sums in numpy:\n"
"each token's own row, the rows of its neighbours at -2, -1, +1, +2 in its sentence, BOS and\n"
"EOS, the word bigrams found in `bigrams` ((key, next key) -> (row on the second, row on\n"
"the first)), the class pairs of `classes` through the two grids (None: no class pairs),\n"
"the nearest trigger in the three words before (`infos[j][1]`, its row in `trigger_rows`,\n"
"the zero row where it has none) and, unless `trigger_classes` is None, its pair with the\n"
"word's class (`infos[i][2]`; (trigger, class) -> (row,)), then each `extra` step\n"
"(positions, rows), in that order.");

static PyObject *
document_rows(PyObject *self, PyObject *args)
{
    PyObject *table_obj, *out_obj, *word_rows, *lengths, *keys, *bigrams, *classes;
    PyObject *class_ids, *second_obj, *first_obj, *extra, *infos, *trigger_rows, *trigger_classes;
    Py_ssize_t zero, bos, eos, other;
    if (!PyArg_ParseTuple(args, "OOO!O!nnnO!O!OO!nOOO!O!OO!:document_rows", &table_obj, &out_obj,
                          &PyList_Type, &word_rows, &PyList_Type, &lengths, &zero, &bos, &eos,
                          &PyList_Type, &keys, &PyDict_Type, &bigrams, &classes,
                          &PyDict_Type, &class_ids, &other, &second_obj, &first_obj,
                          &PyList_Type, &infos, &PyDict_Type, &trigger_rows, &trigger_classes,
                          &PyList_Type, &extra)) {
        return NULL;
    }
    Py_buffer tview, oview, sview, fview;
    int have_grids = 0;
    Py_ssize_t *sentence_pos = NULL, *after = NULL, *cls = NULL, *stamp = NULL;
    Py_ssize_t (*groups)[5] = NULL;
    Py_ssize_t *second_row = NULL, *first_row = NULL;
    PyObject *result = NULL;

    if (get_matrix(table_obj, &tview, 0, 'd', "table") < 0) {
        return NULL;
    }
    if (get_matrix(out_obj, &oview, 1, 'd', "out") < 0) {
        PyBuffer_Release(&tview);
        return NULL;
    }
    const double *table = (const double *)tview.buf;
    double *out = (double *)oview.buf;
    Py_ssize_t rows = tview.shape[0], labels = tview.shape[1];
    Py_ssize_t tokens = PyList_GET_SIZE(word_rows);
    if (oview.shape[0] != tokens || oview.shape[1] != labels) {
        PyErr_SetString(PyExc_ValueError, "out: one row of scores per token expected");
        goto done;
    }
    if (PyList_GET_SIZE(keys) != tokens || PyList_GET_SIZE(infos) != tokens) {
        PyErr_SetString(PyExc_ValueError, "keys and infos: one per token expected");
        goto done;
    }
    if (trigger_classes != Py_None && !PyDict_Check(trigger_classes)) {
        PyErr_SetString(PyExc_TypeError, "trigger_classes: a dict or None expected");
        goto done;
    }
    if (zero < 0 || zero >= rows || bos < 0 || bos >= rows || eos < 0 || eos >= rows) {
        PyErr_SetString(PyExc_IndexError, "zero, bos or eos out of the table");
        goto done;
    }
    if (tokens == 0) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    size_t n = (size_t)tokens;
    sentence_pos = PyMem_Malloc(n * sizeof(Py_ssize_t));
    after = PyMem_Malloc(n * sizeof(Py_ssize_t));
    groups = PyMem_Malloc(n * sizeof(*groups));
    second_row = PyMem_Malloc(n * sizeof(Py_ssize_t));
    first_row = PyMem_Malloc(n * sizeof(Py_ssize_t));
    stamp = PyMem_Malloc(n * sizeof(Py_ssize_t));
    if (!sentence_pos || !after || !groups || !second_row || !first_row || !stamp) {
        PyErr_NoMemory();
        goto done;
    }
    /* each token's index in its sentence and the words after it there */
    {
        Py_ssize_t i = 0;
        for (Py_ssize_t s = 0; s < PyList_GET_SIZE(lengths); s++) {
            Py_ssize_t len = PyNumber_AsSsize_t(PyList_GET_ITEM(lengths, s), PyExc_OverflowError);
            if (len == -1 && PyErr_Occurred()) {
                goto done;
            }
            if (len < 0 || len > tokens - i) {
                PyErr_SetString(PyExc_ValueError, "lengths do not add up to the tokens");
                goto done;
            }
            for (Py_ssize_t p = 0; p < len; p++, i++) {
                sentence_pos[i] = p;
                after[i] = len - 1 - p;
            }
        }
        if (i != tokens) {
            PyErr_SetString(PyExc_ValueError, "lengths do not add up to the tokens");
            goto done;
        }
    }
    for (Py_ssize_t i = 0; i < tokens; i++) {
        PyObject *group = PyList_GET_ITEM(word_rows, i);
        if (!PyTuple_Check(group) || PyTuple_GET_SIZE(group) != 5) {
            PyErr_SetString(PyExc_TypeError, "word_rows: a tuple of 5 rows per token expected");
            goto done;
        }
        for (int k = 0; k < 5; k++) {
            if (as_row(PyTuple_GET_ITEM(group, k), rows, &groups[i][k]) < 0) {
                goto done;
            }
        }
        stamp[i] = -1;
    }
    /* the word's own row, then its neighbours' rows (the zero row across a sentence's ends) */
    for (Py_ssize_t i = 0; i < tokens; i++) {
        double *o = out + i * labels;
        memcpy(o, table + groups[i][0] * labels, (size_t)labels * sizeof(double));
        add_row(o, table + (sentence_pos[i] >= 2 ? groups[i - 2][1] : zero) * labels, labels);
        add_row(o, table + (sentence_pos[i] >= 1 ? groups[i - 1][2] : zero) * labels, labels);
        add_row(o, table + (after[i] >= 1 ? groups[i + 1][3] : zero) * labels, labels);
        add_row(o, table + (after[i] >= 2 ? groups[i + 2][4] : zero) * labels, labels);
    }
    /* a sentence's first and last words */
    for (Py_ssize_t i = 0; i < tokens; i++) {
        if (sentence_pos[i] == 0) {
            add_row(out + i * labels, table + bos * labels, labels);
        }
    }
    for (Py_ssize_t i = 0; i < tokens; i++) {
        if (after[i] == 0) {
            add_row(out + i * labels, table + eos * labels, labels);
        }
    }
    /* word bigrams within a sentence: the row on the second word, then the one on the first */
    {
        int found = 0;
        for (Py_ssize_t i = 0; i < tokens; i++) {
            second_row[i] = first_row[i] = -1;
        }
        for (Py_ssize_t i = 1; i < tokens; i++) {
            if (sentence_pos[i] == 0) {
                continue;
            }
            PyObject *pair = PyTuple_Pack(2, PyList_GET_ITEM(keys, i - 1), PyList_GET_ITEM(keys, i));
            if (pair == NULL) {
                goto done;
            }
            PyObject *got = PyDict_GetItemWithError(bigrams, pair);  /* borrowed */
            Py_DECREF(pair);
            if (got == NULL) {
                if (PyErr_Occurred()) {
                    goto done;
                }
                continue;
            }
            if (!PyTuple_Check(got) || PyTuple_GET_SIZE(got) != 2) {
                PyErr_SetString(PyExc_TypeError, "bigrams: a pair of rows per pair expected");
                goto done;
            }
            if (as_row(PyTuple_GET_ITEM(got, 0), rows, &second_row[i]) < 0
                    || as_row(PyTuple_GET_ITEM(got, 1), rows, &first_row[i - 1]) < 0) {
                goto done;
            }
            found = 1;
        }
        if (found) {
            for (Py_ssize_t i = 0; i < tokens; i++) {
                if (second_row[i] >= 0) {
                    add_row(out + i * labels, table + second_row[i] * labels, labels);
                }
            }
            for (Py_ssize_t i = 0; i < tokens; i++) {
                if (first_row[i] >= 0) {
                    add_row(out + i * labels, table + first_row[i] * labels, labels);
                }
            }
        }
    }
    /* class pairs: on the second word of a pair (the zero row on a sentence's first), then
     * on the first (the zero row on a sentence's last) */
    if (classes != Py_None) {
        if (!PyList_Check(classes) || PyList_GET_SIZE(classes) != tokens) {
            PyErr_SetString(PyExc_TypeError, "classes: a list with one class per token expected");
            goto done;
        }
        if (get_matrix(second_obj, &sview, 0, 'n', "second_grid") < 0) {
            goto done;
        }
        if (get_matrix(first_obj, &fview, 0, 'n', "first_grid") < 0) {
            PyBuffer_Release(&sview);
            goto done;
        }
        have_grids = 1;
        Py_ssize_t side = sview.shape[0];
        if (sview.shape[1] != side || fview.shape[0] != side || fview.shape[1] != side
                || other < 0 || other >= side) {
            PyErr_SetString(PyExc_ValueError, "the class grids must be square and hold `other`");
            goto done;
        }
        const Py_ssize_t *second_grid = (const Py_ssize_t *)sview.buf;
        const Py_ssize_t *first_grid = (const Py_ssize_t *)fview.buf;
        cls = PyMem_Malloc(n * sizeof(Py_ssize_t));
        if (cls == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t i = 0; i < tokens; i++) {
            PyObject *id = PyDict_GetItemWithError(class_ids, PyList_GET_ITEM(classes, i));
            if (id == NULL) {
                if (PyErr_Occurred()) {
                    goto done;
                }
                cls[i] = other;
            }
            else if (as_row(id, side, &cls[i]) < 0) {
                goto done;
            }
        }
        for (Py_ssize_t i = 0; i < tokens; i++) {
            Py_ssize_t row = (i == 0 || sentence_pos[i] == 0) ? zero
                : second_grid[cls[i - 1] * side + cls[i]];
            if (row < 0 || row >= rows) {
                PyErr_SetString(PyExc_IndexError, "a class grid's row is out of the table");
                goto done;
            }
            add_row(out + i * labels, table + row * labels, labels);
        }
        for (Py_ssize_t i = 0; i < tokens; i++) {
            Py_ssize_t row = (i == tokens - 1 || after[i] == 0) ? zero
                : first_grid[cls[i] * side + cls[i + 1]];
            if (row < 0 || row >= rows) {
                PyErr_SetString(PyExc_IndexError, "a class grid's row is out of the table");
                goto done;
            }
            add_row(out + i * labels, table + row * labels, labels);
        }
    }
    /* the nearest trigger in the three words before, in the sentence (and no further than
     * the next trigger): its row, then its pair with the word's class */
    {
        int found = 0;
        for (Py_ssize_t i = 0; i < tokens; i++) {
            second_row[i] = first_row[i] = -1;
        }
        for (Py_ssize_t j = 0; j < tokens; j++) {
            PyObject *info = PyList_GET_ITEM(infos, j);
            if (!PyTuple_Check(info) || PyTuple_GET_SIZE(info) < 3) {
                PyErr_SetString(PyExc_TypeError, "infos: a tuple of word keys per token expected");
                goto done;
            }
            PyObject *trig = PyTuple_GET_ITEM(info, 1);
            int truth = PyObject_IsTrue(trig);
            if (truth < 0) {
                goto done;
            }
            if (!truth) {
                continue;
            }
            Py_ssize_t row = zero;
            PyObject *got = PyDict_GetItemWithError(trigger_rows, trig);
            if (got == NULL && PyErr_Occurred()) {
                goto done;
            }
            if (got != NULL && as_row(got, rows, &row) < 0) {
                goto done;
            }
            Py_ssize_t stop = j + (after[j] < 3 ? after[j] : 3);
            for (Py_ssize_t i = j + 1; i <= stop; i++) {
                PyObject *next = PyList_GET_ITEM(infos, i);
                if (!PyTuple_Check(next) || PyTuple_GET_SIZE(next) < 3) {
                    PyErr_SetString(PyExc_TypeError, "infos: a tuple of word keys per token expected");
                    goto done;
                }
                second_row[i] = row;
                found = 1;
                if (trigger_classes != Py_None) {
                    Py_ssize_t class_row = zero;
                    PyObject *pair = PyTuple_Pack(2, trig, PyTuple_GET_ITEM(next, 2));
                    if (pair == NULL) {
                        goto done;
                    }
                    PyObject *rows_of = PyDict_GetItemWithError(trigger_classes, pair);
                    Py_DECREF(pair);
                    if (rows_of == NULL && PyErr_Occurred()) {
                        goto done;
                    }
                    if (rows_of != NULL) {
                        PyObject *first_item = PySequence_GetItem(rows_of, 0);
                        if (first_item == NULL) {
                            goto done;
                        }
                        int bad = as_row(first_item, rows, &class_row);
                        Py_DECREF(first_item);
                        if (bad < 0) {
                            goto done;
                        }
                    }
                    first_row[i] = class_row;
                }
                truth = PyObject_IsTrue(PyTuple_GET_ITEM(next, 1));
                if (truth < 0) {
                    goto done;
                }
                if (truth) {
                    break;  /* the next trigger takes over after itself */
                }
            }
        }
        if (found) {
            for (Py_ssize_t i = 0; i < tokens; i++) {
                if (second_row[i] >= 0) {
                    add_row(out + i * labels, table + second_row[i] * labels, labels);
                }
            }
            if (trigger_classes != Py_None) {
                for (Py_ssize_t i = 0; i < tokens; i++) {
                    if (first_row[i] >= 0) {
                        add_row(out + i * labels, table + first_row[i] * labels, labels);
                    }
                }
            }
        }
    }
    /* the sentence-dependent steps found in Python (multi-word gazetteer names) */
    for (Py_ssize_t s = 0; s < PyList_GET_SIZE(extra); s++) {
        PyObject *step = PyList_GET_ITEM(extra, s);
        if (!PyTuple_Check(step) || PyTuple_GET_SIZE(step) != 2) {
            PyErr_SetString(PyExc_TypeError, "extra: (positions, rows) steps expected");
            goto done;
        }
        if (sparse_step(out, tokens, table, rows, labels, PyTuple_GET_ITEM(step, 0),
                        PyTuple_GET_ITEM(step, 1), stamp, s) < 0) {
            goto done;
        }
    }
    result = Py_NewRef(Py_None);
done:
    if (have_grids) {
        PyBuffer_Release(&sview);
        PyBuffer_Release(&fview);
    }
    PyMem_Free(sentence_pos);
    PyMem_Free(after);
    PyMem_Free(groups);
    PyMem_Free(second_row);
    PyMem_Free(first_row);
    PyMem_Free(stamp);
    PyMem_Free(cls);
    PyBuffer_Release(&tview);
    PyBuffer_Release(&oview);
    return result;
}

/* ------------------------------------------------------------------ viterbi */

PyDoc_STRVAR(viterbi_doc,
"viterbi(emissions, lengths, transitions, labels)\n"
"--\n\n"
"The best label sequence of each sentence whose emission scores are the consecutive rows of\n"
"`emissions` (`lengths` tokens each), as lists of items of `labels`; ties go to the lower\n"
"label, as numpy's argmax gives them.");

static PyObject *
viterbi(PyObject *self, PyObject *args)
{
    PyObject *em_obj, *lengths, *trans_obj, *labels;
    if (!PyArg_ParseTuple(args, "OO!OO!:viterbi", &em_obj, &PyList_Type, &lengths, &trans_obj,
                          &PyList_Type, &labels)) {
        return NULL;
    }
    Py_buffer eview, tview;
    if (get_matrix(em_obj, &eview, 0, 'd', "emissions") < 0) {
        return NULL;
    }
    if (get_matrix(trans_obj, &tview, 0, 'd', "transitions") < 0) {
        PyBuffer_Release(&eview);
        return NULL;
    }
    PyObject *result = NULL, *out = NULL;
    double *history = NULL;
    Py_ssize_t *back = NULL;
    const double *em = (const double *)eview.buf;
    const double *trans = (const double *)tview.buf;
    Py_ssize_t L = eview.shape[1], tokens = eview.shape[0];
    if (tview.shape[0] != L || tview.shape[1] != L || PyList_GET_SIZE(labels) != L || L == 0) {
        PyErr_SetString(PyExc_ValueError, "emissions, transitions and labels disagree");
        goto done;
    }
    Py_ssize_t sentences = PyList_GET_SIZE(lengths);
    out = PyList_New(sentences);
    if (out == NULL) {
        goto done;
    }
    Py_ssize_t longest = 0, at = 0;
    for (Py_ssize_t s = 0; s < sentences; s++) {
        Py_ssize_t n = PyNumber_AsSsize_t(PyList_GET_ITEM(lengths, s), PyExc_OverflowError);
        if (n == -1 && PyErr_Occurred()) {
            goto done;
        }
        if (n < 0 || n > tokens - at) {
            PyErr_SetString(PyExc_ValueError, "lengths do not add up to the emissions");
            goto done;
        }
        at += n;
        if (n > longest) {
            longest = n;
        }
    }
    if (at != tokens) {
        PyErr_SetString(PyExc_ValueError, "lengths do not add up to the emissions");
        goto done;
    }
    if (longest) {
        history = PyMem_Malloc((size_t)longest * (size_t)L * sizeof(double));
        back = PyMem_Malloc((size_t)longest * (size_t)L * sizeof(Py_ssize_t));
        if (history == NULL || back == NULL) {
            PyErr_NoMemory();
            goto done;
        }
    }
    at = 0;
    for (Py_ssize_t s = 0; s < sentences; s++) {
        Py_ssize_t n = PyLong_AsSsize_t(PyList_GET_ITEM(lengths, s));
        PyObject *tags = PyList_New(n);
        if (tags == NULL) {
            goto done;
        }
        PyList_SET_ITEM(out, s, tags);
        if (n == 0) {
            continue;
        }
        const double *e = em + at * L;
        at += n;
        memcpy(history, e, (size_t)L * sizeof(double));
        for (Py_ssize_t t = 1; t < n; t++) {
            const double *prev = history + (t - 1) * L;
            double *cur = history + t * L;
            Py_ssize_t *bk = back + t * L;
            for (Py_ssize_t to = 0; to < L; to++) {
                double best = prev[0] + trans[to];
                Py_ssize_t arg = 0;
                for (Py_ssize_t from = 1; from < L; from++) {
                    double v = prev[from] + trans[from * L + to];
                    if (v > best) {
                        best = v;
                        arg = from;
                    }
                }
                bk[to] = arg;
                cur[to] = best + e[t * L + to];
            }
        }
        const double *last = history + (n - 1) * L;
        Py_ssize_t current = 0;
        for (Py_ssize_t k = 1; k < L; k++) {
            if (last[k] > last[current]) {
                current = k;
            }
        }
        for (Py_ssize_t t = n - 1; t >= 0; t--) {
            PyObject *label = PyList_GET_ITEM(labels, current);
            PyList_SET_ITEM(tags, t, Py_NewRef(label));
            if (t) {
                current = back[t * L + current];
            }
        }
    }
    result = out;
    out = NULL;
done:
    Py_XDECREF(out);
    PyMem_Free(history);
    PyMem_Free(back);
    PyBuffer_Release(&eview);
    PyBuffer_Release(&tview);
    return result;
}

/* ------------------------------------------------------------------ a new word's rows */

/* numpy's pairwise sum of one column (`pairwise_sum_DOUBLE` in its umath loops): what
 * ``np.add.reduceat`` adds to a group's first row, the rest of the group (`n` rows of
 * `ids`) summed 8 ways in blocks of at most 128 and halves beyond. */
static double
pairwise_column(const double *table, const Py_ssize_t *ids, Py_ssize_t n, Py_ssize_t labels,
                Py_ssize_t c)
{
    if (n < 8) {
        double res = 0.;
        for (Py_ssize_t i = 0; i < n; i++) {
            res += table[ids[i] * labels + c];
        }
        return res;
    }
    if (n <= 128) {
        double r[8], res;
        Py_ssize_t i;
        for (int j = 0; j < 8; j++) {
            r[j] = table[ids[j] * labels + c];
        }
        for (i = 8; i < n - (n % 8); i += 8) {
            for (int j = 0; j < 8; j++) {
                r[j] += table[ids[i + j] * labels + c];
            }
        }
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++) {
            res += table[ids[i] * labels + c];
        }
        return res;
    }
    Py_ssize_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise_column(table, ids, n2, labels, c)
        + pairwise_column(table, ids + n2, n - n2, labels, c);
}

PyDoc_STRVAR(fill_row_doc,
"fill_row(table, row, attributes, features, zero)\n"
"--\n\n"
"Set ``table[row]`` to the summed weights of `features` (those in `attributes`), as\n"
"``np.add.reduceat`` sums the group ``[zero, attributes[f] ...]``: the same floats.");

/* `table[row]` := the summed weights of `features` (those in `attributes`), in
 * ``np.add.reduceat``'s order over ``[zero, attributes[f] ...]``; 0 on success, -1 with an
 * exception set. */
static int
fill_one(double *table, Py_ssize_t rows, Py_ssize_t labels, Py_ssize_t row, PyObject *attributes,
         PyObject *features, Py_ssize_t zero)
{
    int status = -1;
    PyObject *seq = NULL;
    Py_ssize_t stack[128], *ids = stack;
    if (row < 0 || row >= rows || zero < 0 || zero >= rows) {
        PyErr_SetString(PyExc_IndexError, "row or zero out of the table");
        return -1;
    }
    seq = PySequence_Fast(features, "features: a sequence expected");
    if (seq == NULL) {
        return -1;
    }
    Py_ssize_t size = PySequence_Fast_GET_SIZE(seq), n = 0;
    if (size > 128) {
        ids = PyMem_Malloc((size_t)size * sizeof(Py_ssize_t));
        if (ids == NULL) {
            PyErr_NoMemory();
            goto done;
        }
    }
    for (Py_ssize_t k = 0; k < size; k++) {
        PyObject *id = PyDict_GetItemWithError(attributes, PySequence_Fast_GET_ITEM(seq, k));
        if (id == NULL) {
            if (PyErr_Occurred()) {
                goto done;
            }
            continue;
        }
        if (as_row(id, rows, &ids[n]) < 0) {
            goto done;
        }
        n++;
    }
    double *out = table + row * labels;
    const double *first = table + zero * labels;
    for (Py_ssize_t c = 0; c < labels; c++) {
        /* a group of one row is that row, no addition (reduceat copies it) */
        out[c] = n ? first[c] + pairwise_column(table, ids, n, labels, c) : first[c];
    }
    status = 0;
done:
    if (ids != stack) {
        PyMem_Free(ids);
    }
    Py_DECREF(seq);
    return status;
}

static PyObject *
fill_row(PyObject *self, PyObject *args)
{
    PyObject *table_obj, *attributes, *features;
    Py_ssize_t row, zero;
    if (!PyArg_ParseTuple(args, "OnO!On:fill_row", &table_obj, &row, &PyDict_Type, &attributes,
                          &features, &zero)) {
        return NULL;
    }
    Py_buffer view;
    if (get_matrix(table_obj, &view, 1, 'd', "table") < 0) {
        return NULL;
    }
    int status = fill_one((double *)view.buf, view.shape[0], view.shape[1], row, attributes,
                          features, zero);
    PyBuffer_Release(&view);
    if (status < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

PyDoc_STRVAR(fill_rows_doc,
"fill_rows(table, rows, attributes, groups, zero)\n"
"--\n\n"
"`fill_row` for each group of `groups` into the row of `rows` at the same place (a word's\n"
"five groups in one call): the same floats.");

static PyObject *
fill_rows(PyObject *self, PyObject *args)
{
    PyObject *table_obj, *row_ids, *attributes, *groups;
    Py_ssize_t zero;
    if (!PyArg_ParseTuple(args, "OOO!On:fill_rows", &table_obj, &row_ids, &PyDict_Type,
                          &attributes, &groups, &zero)) {
        return NULL;
    }
    Py_buffer view;
    if (get_matrix(table_obj, &view, 1, 'd', "table") < 0) {
        return NULL;
    }
    PyObject *result = NULL, *rseq = NULL, *gseq = NULL;
    rseq = PySequence_Fast(row_ids, "rows: a sequence expected");
    if (rseq == NULL) {
        goto done;
    }
    gseq = PySequence_Fast(groups, "groups: a sequence expected");
    if (gseq == NULL) {
        goto done;
    }
    Py_ssize_t count = PySequence_Fast_GET_SIZE(gseq);
    if (PySequence_Fast_GET_SIZE(rseq) != count) {
        PyErr_SetString(PyExc_ValueError, "rows and groups differ in length");
        goto done;
    }
    Py_ssize_t rows = view.shape[0];
    for (Py_ssize_t g = 0; g < count; g++) {
        Py_ssize_t row;
        if (as_row(PySequence_Fast_GET_ITEM(rseq, g), rows, &row) < 0) {
            goto done;
        }
        if (fill_one((double *)view.buf, rows, view.shape[1], row, attributes,
                     PySequence_Fast_GET_ITEM(gseq, g), zero) < 0) {
            goto done;
        }
    }
    result = Py_NewRef(Py_None);
done:
    Py_XDECREF(rseq);
    Py_XDECREF(gseq);
    PyBuffer_Release(&view);
    return result;
}

static PyMethodDef methods[] = {
    {"document_rows", document_rows, METH_VARARGS, document_rows_doc},
    {"viterbi", viterbi, METH_VARARGS, viterbi_doc},
    {"fill_row", fill_row, METH_VARARGS, fill_row_doc},
    {"fill_rows", fill_rows, METH_VARARGS, fill_rows_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "khabar.extract._crf_kernel",
    "The CRF tagger's array work in C (optional; see khabar.extract.fast_crf).", -1, methods,
};

PyMODINIT_FUNC
PyInit__crf_kernel(void)
{
    return PyModule_Create(&module);
}
