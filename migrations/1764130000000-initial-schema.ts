import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Clinics, users and the clinical record: patients, deposits, visits, evaluations (with every
 * version), labs and treatments. Every table carries clinic_id, and every reference between
 * clinical rows goes through (clinic_id, id), so a row can never point into another clinic.
 */
export class InitialSchema1764130000000 implements MigrationInterface {
  name = 'InitialSchema1764130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);

    await q.query(`
      CREATE TABLE clinics (
        clinic_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        clinic_id uuid NOT NULL REFERENCES clinics (clinic_id),
        email text NOT NULL CHECK (email = lower(email)),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('staff', 'physician', 'admin')),
        specialty text,
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (clinic_id, id)
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);
    await q.query(`CREATE INDEX users_clinic_idx ON users (clinic_id, name, id)`);

    await q.query(`
      CREATE TABLE patients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        clinic_id uuid NOT NULL REFERENCES clinics (clinic_id),
        mrn text NOT NULL,
        name text NOT NULL,
        birth_date date NOT NULL,
        sex text NOT NULL CHECK (sex IN ('female', 'male', 'other', 'unknown')),
        conditions text[] NOT NULL DEFAULT '{}',
        calcinosis_type text NOT NULL DEFAULT 'unknown'
          CHECK (calcinosis_type IN ('dystrophic', 'metastatic', 'idiopathic', 'iatrogenic', 'calciphylaxis', 'unknown')),
        family_history boolean NOT NULL DEFAULT false,
        responsible_physician_id uuid,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (clinic_id, id),
        CONSTRAINT patients_clinic_mrn_key UNIQUE (clinic_id, mrn),
        FOREIGN KEY (clinic_id, responsible_physician_id) REFERENCES users (clinic_id, id)
      )`);
    await q.query(`CREATE INDEX patients_clinic_name_idx ON patients (clinic_id, lower(name), id)`);

    await q.query(`
      CREATE TABLE visits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        clinic_id uuid NOT NULL,
        patient_id uuid NOT NULL,
        visit_date date NOT NULL,
        created_by uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (clinic_id, id),
        FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id),
        FOREIGN KEY (clinic_id, created_by) REFERENCES users (clinic_id, id)
      )`);
    await q.query(`CREATE INDEX visits_patient_idx ON visits (clinic_id, patient_id, visit_date DESC, created_at DESC)`);

    await q.query(`
      CREATE TABLE deposits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        clinic_id uuid NOT NULL,
        patient_id uuid NOT NULL,
        label text NOT NULL,
        site text NOT NULL,
        site_detail text,
        laterality text NOT NULL CHECK (laterality IN ('left', 'right', 'bilateral', 'midline', 'not-applicable')),
        depth text NOT NULL,
        pattern text CHECK (pattern IN ('plaque-nodule', 'tumoral', 'planar', 'exoskeleton')),
        detected_by text NOT NULL,
        prior_procedure_site boolean NOT NULL DEFAULT false,
        noted_on date NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'resolved', 'excised')),
        first_visit_id uuid,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (clinic_id, id),
        UNIQUE (clinic_id, patient_id, id),
        FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id),
        FOREIGN KEY (clinic_id, first_visit_id) REFERENCES visits (clinic_id, id)
      )`);
    await q.query(`CREATE INDEX deposits_patient_idx ON deposits (clinic_id, patient_id, seq)`);

    await q.query(`
      CREATE TABLE evaluations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        clinic_id uuid NOT NULL,
        patient_id uuid NOT NULL,
        deposit_id uuid NOT NULL,
        visit_id uuid NOT NULL,
        visit_date date NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        version int NOT NULL DEFAULT 1,
        method text NOT NULL CHECK (method IN ('palpation', 'caliper', 'ultrasound', 'xray', 'ct', 'mri', 'photo')),
        longest_diameter_mm double precision NOT NULL CHECK (longest_diameter_mm > 0),
        perpendicular_diameter_mm double precision CHECK (perpendicular_diameter_mm > 0),
        depth_mm double precision CHECK (depth_mm > 0),
        shape text CHECK (shape IN ('round', 'oval', 'irregular', 'lobulated', 'linear', 'sheet')),
        margin text CHECK (margin IN ('well-defined', 'ill-defined')),
        landmark text,
        x_mm double precision,
        y_mm double precision,
        mobility text CHECK (mobility IN ('fixed', 'mobile')),
        ulcerated boolean NOT NULL DEFAULT false,
        infection_signs boolean NOT NULL DEFAULT false,
        inflammation boolean NOT NULL DEFAULT false,
        nerve_compression boolean NOT NULL DEFAULT false,
        drainage text NOT NULL DEFAULT 'none' CHECK (drainage IN ('none', 'chalky', 'milky', 'purulent', 'serous')),
        pain_score smallint CHECK (pain_score BETWEEN 0 AND 10),
        notes text,
        recorded_by uuid NOT NULL,
        recorded_at timestamptz(3) NOT NULL DEFAULT now(),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (clinic_id, id),
        CONSTRAINT evaluations_one_per_deposit_and_visit UNIQUE (visit_id, deposit_id),
        FOREIGN KEY (clinic_id, patient_id, deposit_id) REFERENCES deposits (clinic_id, patient_id, id),
        FOREIGN KEY (clinic_id, visit_id) REFERENCES visits (clinic_id, id)
      )`);
    await q.query(`CREATE INDEX evaluations_deposit_idx ON evaluations (clinic_id, deposit_id, visit_date, seq)`);
    await q.query(`CREATE INDEX evaluations_patient_idx ON evaluations (clinic_id, patient_id, visit_date)`);
    await q.query(`CREATE INDEX evaluations_visit_idx ON evaluations (clinic_id, visit_id, seq)`);

    await q.query(`
      CREATE TABLE evaluation_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        clinic_id uuid NOT NULL,
        evaluation_id uuid NOT NULL,
        version int NOT NULL CHECK (version >= 1),
        data jsonb NOT NULL,
        reason text,
        recorded_by uuid NOT NULL,
        recorded_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (evaluation_id, version),
        CHECK (version = 1 OR reason IS NOT NULL),
        FOREIGN KEY (clinic_id, evaluation_id) REFERENCES evaluations (clinic_id, id)
      )`);
    // History is never rewritten: the database refuses changes to a stored version.
    await q.query(`
      CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% on % is not allowed: rows are append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER evaluation_versions_append_only BEFORE UPDATE OR DELETE ON evaluation_versions
      FOR EACH ROW EXECUTE FUNCTION refuse_change()`);

    await q.query(`
      CREATE TABLE lab_results (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        clinic_id uuid NOT NULL,
        patient_id uuid NOT NULL,
        visit_id uuid,
        collected_on date NOT NULL,
        calcium_mg_dl double precision,
        albumin_g_dl double precision,
        phosphate_mg_dl double precision,
        pth_pg_ml double precision,
        vitamin_d_ng_ml double precision,
        egfr_ml_min double precision,
        corrected_calcium_mg_dl double precision,
        calcium_phosphate_product double precision,
        entered jsonb NOT NULL DEFAULT '{}',
        created_by uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (clinic_id, id),
        FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id),
        FOREIGN KEY (clinic_id, visit_id) REFERENCES visits (clinic_id, id)
      )`);
    await q.query(`CREATE INDEX lab_results_patient_idx ON lab_results (clinic_id, patient_id, collected_on DESC, created_at DESC)`);

    await q.query(`
      CREATE TABLE treatments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        clinic_id uuid NOT NULL,
        patient_id uuid NOT NULL,
        deposit_id uuid,
        kind text NOT NULL,
        started_on date NOT NULL,
        ended_on date,
        dose text,
        route text,
        outcome text,
        version int NOT NULL DEFAULT 1,
        created_by uuid NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (clinic_id, id),
        CHECK (ended_on IS NULL OR ended_on >= started_on),
        FOREIGN KEY (clinic_id, patient_id) REFERENCES patients (clinic_id, id),
        FOREIGN KEY (clinic_id, patient_id, deposit_id) REFERENCES deposits (clinic_id, patient_id, id)
      )`);
    await q.query(`CREATE INDEX treatments_patient_idx ON treatments (clinic_id, patient_id, started_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['treatments', 'lab_results', 'evaluation_versions', 'evaluations', 'deposits', 'visits', 'patients', 'users', 'clinics']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS refuse_change()`);
  }
}
