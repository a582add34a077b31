import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A path id that is not a UUID cannot name any record: it answers 404 like any other unknown id,
 * so the response never tells a malformed id from another clinic's.
 */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  constructor(private readonly what = 'record') {}

  transform(value: string): string {
    if (!UUID.test(value)) throw DomainError.notFound(this.what);
    return value.toLowerCase();
  }
}
